package org.rnn4j;

import java.util.List;

/**
 * The final states of one cell (or one direction of a Bidirectional layer), as Keras returns them:
 * {@code label} names the cell ({@code lstm_cell_1}, {@code forward_lstm}), {@code names} the
 * states ({@code h}, {@code c}), {@code tensors} the values, each {@code (batch, size)}.
 */
public record StateGroup(String label, List<String> names, List<Tensor> tensors) {
  public StateGroup {
    names = List.copyOf(names);
    tensors = List.copyOf(tensors);
    if (names.size() != tensors.size()) {
      throw new IllegalArgumentException("names " + names + " do not match " + tensors.size() + " tensors");
    }
  }
}

package org.rnn4j.spi;

import java.util.List;

import org.rnn4j.LayerStates;
import org.rnn4j.Mask;
import org.rnn4j.Tensor;

/**
 * A call already checked against the model: the input's shape fits, the mask (if any) is {@code
 * (batch, time)}, and every initial state has the right count and shapes. Backends receive only
 * checked calls.
 *
 * @param inputs the inputs, each {@code (batch, ...)}, in the model's input order
 * @param mask the explicit mask, or null
 * @param initialStates initial states by recurrent layer index (layers absent start from zeros)
 * @param batch the batch size
 * @param steps the number of time steps, or -1 when the input has no time axis
 */
public record CheckedCall(List<Tensor> inputs, Mask mask, LayerStates initialStates, int batch, int steps) {
  public CheckedCall {
    inputs = List.copyOf(inputs);
  }

  /** The (first) input. */
  public Tensor input() {
    return inputs.get(0);
  }
}

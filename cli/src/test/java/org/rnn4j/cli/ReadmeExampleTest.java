package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.StackedRNNCells;

/** The Java example of the README, verbatim, so that the README stays true. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRuns() {
    // --- README example start
    RNN stack = RNN.builder(StackedRNNCells.of(LSTMCell.of(4), LSTMCell.of(5)))
        .returnSequences(true)
        .returnState(true)
        .build();
    Model model = Model.initialized(Sequential.of(InputSpec.sequence(6), stack), 42); // Keras' default initializers

    Tensor x = Tensor.of(new float[][][] {
        {{1, 2, 3, 4, 3, 2}, {1, 2, 1, 1, 1, 2}, {1, 2, 2, 2, 2, 2}},
        {{1, 2, 3, 4, 3, 2}, {3, 2, 2, 1, 1, 2}, {0, 0, 0, 0, 3, 2}}});

    for (String name : Backends.availableNames()) {          // "reference", "tensorflow"
      try (Backend backend = Backends.open(name);
           PreparedModel prepared = backend.prepare(model)) {
        Result r = prepared.run(x);
        Tensor output = r.output();                          // (2, 3, 5)
        Tensor h2 = r.states().get(1).tensors().get(0);      // [h2, c2]: the second cell's states
        System.out.println(name + ": " + output + "\nh2 = " + h2);
        // --- README example end
        assertArrayEquals(new int[] {2, 3, 5}, output.shape());
        assertArrayEquals(new int[] {2, 5}, h2.shape());
        assertEquals(5, r.flat().size());
      }
    }
  }
}

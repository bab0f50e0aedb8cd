package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.StatefulModel;
import org.rnn4j.Tensor;
import org.rnn4j.initializers.RandomUniform;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RNNCell;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNNCell;
import org.rnn4j.layers.StackedRNNCells;

/**
 * The streaming API ({@link StatefulModel}): feeding a sequence one step at a time, or in chunks,
 * gives the results of one call over the whole sequence, for every cell type; resetting chosen
 * rows restarts only those rows. Within 1e-6 (the same arithmetic, differently batched).
 */
final class StreamingSuite {
  private StreamingSuite() {}

  static List<RNNCell> cells() {
    RandomUniform bias = new RandomUniform(-0.5, 0.5);
    return List.of(
        LSTMCell.builder(6).biasInitializer(bias).build(),
        LSTMCell.builder(6).recurrentActivation(Activation.HARD_SIGMOID).biasInitializer(bias).build(),
        GRUCell.builder(5).biasInitializer(bias).build(),
        GRUCell.builder(5).resetAfter(false).biasInitializer(bias).build(),
        SimpleRNNCell.builder(4).activation(Activation.RELU).biasInitializer(bias).build(),
        StackedRNNCells.of(LSTMCell.of(5), GRUCell.of(4), SimpleRNNCell.of(3)));
  }

  static Stream<DynamicNode> tests(ContractContext ctx) {
    List<DynamicNode> tests = new ArrayList<>();
    long seed = 1;
    for (RNNCell cell : cells()) {
      Model m = Model.initialized(
          Sequential.of(InputSpec.sequence(5), RNN.builder(cell).returnSequences(true).returnState(true).build()), seed++);
      tests.add(dynamicTest("one step at a time = whole sequence: " + cell, () -> stepwise(ctx, m, new int[] {1, 1, 1, 1, 1, 1, 1})));
      tests.add(dynamicTest("chunks of 3 and 4 steps = whole sequence: " + cell, () -> stepwise(ctx, m, new int[] {3, 4})));
    }
    Model twoStateful = Model.initialized(Sequential.of(InputSpec.sequence(5),
        LSTM.builder(6).returnSequences(true).stateful(true).build(),
        LSTM.builder(4).returnSequences(true).stateful(true).build()), 9);
    tests.add(dynamicTest("two stateful LSTM layers, one step at a time", () -> stepwise(ctx, twoStateful, new int[] {1, 1, 1, 1, 1, 1, 1})));
    tests.add(dynamicTest("resetting chosen rows restarts only those rows", () -> resetRows(ctx)));
    return tests.stream();
  }

  private static void stepwise(ContractContext ctx, Model m, int[] chunks) {
    Tensor x = RandomData.uniform(21, -1, 1, 3, 7, 5);
    try (PreparedModel p = ctx.backend().prepare(m)) {
      Result whole = p.run(x);
      StatefulModel stream = StatefulModel.of(p);
      Tensor joined = null;
      Result last = null;
      int t = 0;
      for (int n : chunks) {
        last = stream.run(PropertySuite.slice(x, t, t + n));
        joined = joined == null ? last.output() : PropertySuite.concatTime(joined, last.output());
        t += n;
      }
      Checks.assertClose("streamed outputs", whole.output(), joined, PropertySuite.TOL, 0);
      for (int layer : whole.finalStates().layers()) {
        List<Tensor> w = whole.finalStates().get(layer);
        for (int s = 0; s < w.size(); s++) {
          Checks.assertClose("layer " + layer + " state " + s, w.get(s), stream.states().get(layer).get(s), PropertySuite.TOL, 0);
        }
      }
    }
  }

  private static void resetRows(ContractContext ctx) {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(5), LSTM.builder(6).returnState(true).build()), 3);
    Tensor a = RandomData.uniform(31, -1, 1, 3, 4, 5);
    Tensor b = RandomData.uniform(32, -1, 1, 3, 4, 5);
    try (PreparedModel p = ctx.backend().prepare(m)) {
      StatefulModel stream = StatefulModel.of(p);
      stream.run(a);
      Result continued = p.run(org.rnn4j.Call.of(b).withInitialStates(stream.states()));
      Result fresh = p.run(b);
      stream.resetStates(1);
      Tensor out = stream.run(b).output();
      for (int row = 0; row < 3; row++) {
        Tensor expected = PropertySuite.slice0(row == 1 ? fresh.output() : continued.output(), row);
        Checks.assertClose("row " + row, expected, PropertySuite.slice0(out, row), PropertySuite.TOL, 0);
      }
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> stream.run(RandomData.uniform(1, -1, 1, 2, 4, 5)));
      assertEquals(true, e.getMessage().contains("batch size 3, got 2"), e.getMessage());
      stream.resetStates();
      stream.run(RandomData.uniform(1, -1, 1, 2, 4, 5));
    }
  }
}

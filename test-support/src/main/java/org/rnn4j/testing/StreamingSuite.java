package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RNNCell;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNNCell;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.layers.TimeDistributed;

/**
 * The streaming API ({@link StatefulModel}): feeding a sequence one step at a time, or in chunks,
 * gives the results of one call over the whole sequence, for every cell type; resetting chosen
 * rows restarts only those rows. Within 1e-6 (the same arithmetic, differently batched). {@link
 * StatefulModel#step} on the caller's arrays gives exactly (bit for bit) what a one-step {@code
 * run} gives, whichever path the backend takes.
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
    tests.add(dynamicTest("a stream's first call may give initial states; later calls may not", () -> firstCallInitialStates(ctx)));
    for (Model m : stepModels()) {
      tests.add(dynamicTest("step(arrays) = the whole sequence (1e-6), and = run(one step) bit for bit where the backend steps in place: "
          + m.architecture(), () -> stepEqualsRun(ctx, m)));
    }
    tests.add(dynamicTest("step, run and state changes interleave", () -> interleaved(ctx)));
    tests.add(dynamicTest("step refuses arrays of the wrong length, a new batch size, two outputs and a closed model",
        () -> stepErrors(ctx)));
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

  private static void firstCallInitialStates(ContractContext ctx) {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(5), LSTM.builder(6).returnSequences(true).returnState(true).build()), 4);
    Tensor x = RandomData.uniform(41, -1, 1, 2, 6, 5);
    List<Tensor> h0c0 = List.of(RandomData.uniform(42, -1, 1, 2, 6), RandomData.uniform(43, -1, 1, 2, 6));
    try (PreparedModel p = ctx.backend().prepare(m)) {
      Result whole = p.run(org.rnn4j.Call.of(x).withInitialState(h0c0));
      StatefulModel stream = StatefulModel.of(p);
      Tensor first = stream.run(org.rnn4j.Call.of(PropertySuite.slice(x, 0, 2)).withInitialState(h0c0)).output();
      Tensor rest = stream.run(PropertySuite.slice(x, 2, 6)).output();
      Checks.assertClose("first call", PropertySuite.slice(whole.output(), 0, 2), first, PropertySuite.TOL, 0);
      Checks.assertClose("second call", PropertySuite.slice(whole.output(), 2, 6), rest, PropertySuite.TOL, 0);
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> stream.run(org.rnn4j.Call.of(PropertySuite.slice(x, 0, 2)).withInitialState(h0c0)));
      assertEquals(true, e.getMessage().contains("supplies its own initial states after its first call"), e.getMessage());
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

  /** Models for step(): every cell, heads of Dense layers, a stateful mix, and layers steppers may not handle. */
  static List<Model> stepModels() {
    List<Model> models = new ArrayList<>();
    long seed = 40;
    for (RNNCell cell : cells()) {
      models.add(Model.initialized(
          Sequential.of(InputSpec.sequence(5), RNN.builder(cell).returnSequences(true).returnState(true).build()), seed++));
    }
    models.add(Model.initialized(Sequential.of(InputSpec.sequence(5),
        LSTM.builder(6).returnSequences(true).build(),
        TimeDistributed.of(Dense.builder(4).activation(Activation.TANH).build()),
        InferenceIdentity.of("Dropout"),
        GRU.of(3),
        Dense.builder(2).activation(Activation.SIGMOID).build(),
        ActivationLayer.of(Activation.RELU)), seed++));
    models.add(Model.initialized(Sequential.of(InputSpec.sequence(5),
        LSTM.builder(6).returnSequences(true).stateful(true).build(),
        LSTM.builder(4).returnSequences(true).build(),
        Dense.of(3)), seed++));
    models.add(Model.initialized(Sequential.of(InputSpec.sequence(5), Masking.of(0f),
        LSTM.builder(6).returnSequences(true).build()), seed++));
    models.add(Model.initialized(Sequential.of(InputSpec.sequence(5),
        Bidirectional.of(GRU.builder(4).returnSequences(true).build(), MergeMode.CONCAT)), seed++));
    return models;
  }

  /** Two streams over one prepared model: one steps arrays, one runs one-step tensors. */
  private static void stepEqualsRun(ContractContext ctx, Model m) {
    Tensor x = RandomData.uniform(51, -1, 1, 3, 9, 5);
    float[] data = x.toArray();
    for (int i = 0; i < 5; i++) {
      data[(1 * 9 + 4) * 5 + i] = 0f; // row 1, step 4 is all zeros: masked where the model masks
    }
    x = Tensor.wrap(x.shape(), data);
    try (PreparedModel p = ctx.backend().prepare(m)) {
      StatefulModel stepped = StatefulModel.of(p);
      StatefulModel called = StatefulModel.of(p);
      // where the backend steps in place, step() and a one-step run are two paths: bit for bit;
      // elsewhere step() is a one-step run, and only the whole sequence below checks it
      boolean inPlace = p instanceof org.rnn4j.spi.Stepping s && s.stepper(3, stepped.carriedLayers()) != null;
      // a stream equals one call over the whole sequence when every recurrent layer carries its
      // states, none runs backwards and no step is masked (a masked first step of a call outputs 0)
      boolean streamsLikeWhole = m.architecture().layers().stream().noneMatch(l -> l instanceof Bidirectional || l instanceof Masking)
          && stepped.carriedLayers().equals(java.util.Set.copyOf(m.architecture().recurrentLayers()));
      Tensor whole = streamsLikeWhole ? p.run(x).output() : null;
      for (int t = 0; t < 9; t++) {
        Tensor one = PropertySuite.slice(x, t, t + 1);
        Tensor expected = called.run(one).output();
        float[] y = new float[expected.size()];
        stepped.step(one.toArray(), y);
        Tensor actual = Tensor.wrap(expected.shape(), y);
        if (inPlace) {
          Checks.assertClose("step " + t + " vs one-step run", expected, actual, 0, 0);
        }
        if (whole != null && whole.rank() == 3) {
          Checks.assertClose("step " + t + " vs the whole sequence", PropertySuite.slice(whole, t, t + 1), actual, PropertySuite.TOL, 0);
        }
        if (t == 4 && inPlace) {
          assertStatesEqual(called, stepped, 0);
        }
      }
      assertStatesEqual(called, stepped, inPlace ? 0 : PropertySuite.TOL);
      if (whole != null && whole.rank() == 2) {
        float[] last = new float[whole.size()];
        StatefulModel again = StatefulModel.of(p);
        for (int t = 0; t < 9; t++) {
          again.step(PropertySuite.slice(x, t, t + 1).toArray(), last);
        }
        Checks.assertClose("last step vs the whole sequence", whole, Tensor.wrap(whole.shape(), last), PropertySuite.TOL, 0);
      }
    }
  }

  private static void assertStatesEqual(StatefulModel expected, StatefulModel actual, double tol) {
    assertEquals(expected.states().layers(), actual.states().layers(), "carried layers");
    for (int layer : expected.states().layers()) {
      List<Tensor> e = expected.states().get(layer);
      for (int k = 0; k < e.size(); k++) {
        Checks.assertClose("layer " + layer + " state " + k, e.get(k), actual.states().get(layer).get(k), tol, 0);
      }
    }
  }

  /**
   * Steps, chunks and state changes mixed on one stream give the results of plain calls: the states
   * pass correctly between the stepper's arrays and tensors, rows reset, states set from outside.
   */
  private static void interleaved(ContractContext ctx) {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(5),
        RNN.builder(StackedRNNCells.of(LSTMCell.of(6), GRUCell.of(4))).returnSequences(true).build(), Dense.of(2)), 61);
    Tensor x = RandomData.uniform(62, -1, 1, 2, 8, 5);
    try (PreparedModel p = ctx.backend().prepare(m)) {
      StatefulModel mixed = StatefulModel.of(p);
      StatefulModel plain = StatefulModel.of(p);
      float[] y = new float[2 * 2];
      for (int t = 0; t < 8; t++) {
        Tensor one = PropertySuite.slice(x, t, t + 1);
        Tensor expected = plain.run(one).output();
        if (t % 3 == 1) {
          Checks.assertClose("run at step " + t, expected, mixed.run(one).output(), PropertySuite.TOL, 0);
        } else {
          mixed.step(one.toArray(), y);
          Checks.assertClose("step " + t, expected, Tensor.wrap(expected.shape(), y), PropertySuite.TOL, 0);
        }
        if (t == 3) {
          plain.resetStates(1);
          mixed.resetStates(1);
        }
        if (t == 5) {
          mixed.setStates(plain.states());
        }
      }
      assertStatesEqual(plain, mixed, PropertySuite.TOL);
      mixed.resetStates();
      plain.resetStates();
      Tensor one = PropertySuite.slice(x, 0, 1);
      mixed.step(one.toArray(), y);
      Checks.assertClose("after resetStates()", plain.run(one).output(), Tensor.wrap(new int[] {2, 1, 2}, y), PropertySuite.TOL, 0);
    }
  }

  private static void stepErrors(ContractContext ctx) {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(5), LSTM.of(3)), 71);
    PreparedModel p = ctx.backend().prepare(m);
    StatefulModel stream = StatefulModel.of(p);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> stream.step(new float[7], new float[3]));
    assertTrue(e.getMessage().contains("step input has 7 floats, expected a positive multiple of 5"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> stream.step(new float[10], new float[3]));
    assertTrue(e.getMessage().contains("step output array has 3 floats, expected 6"), e.getMessage());
    stream.step(new float[10], new float[6]);
    e = assertThrows(InvalidInputException.class, () -> stream.step(new float[5], new float[3]));
    assertTrue(e.getMessage().contains("batch size 2, got 1"), e.getMessage());
    p.close();
    assertThrows(IllegalStateException.class, () -> stream.step(new float[10], new float[6]));
    Model two = Model.initialized(
        Sequential.of(InputSpec.sequence(5), Bidirectional.of(LSTM.builder(3).build(), MergeMode.NONE)), 72);
    try (PreparedModel q = ctx.backend().prepare(two)) {
      e = assertThrows(InvalidInputException.class, () -> StatefulModel.of(q).step(new float[5], new float[3]));
      assertTrue(e.getMessage().contains("needs a model with one output"), e.getMessage());
    }
  }
}

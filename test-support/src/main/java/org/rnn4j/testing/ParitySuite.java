package org.rnn4j.testing;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.PreparedModel;
import org.rnn4j.Model;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.initializers.RandomUniform;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RNNCell;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;

/**
 * Seeded random models against the float64 oracle, within {@link Checks#ATOL} absolute: single
 * and stacked LSTMs over batch sizes 1, 7, 64, sequence lengths 1, 5, 500, units 1, 4, 64, 512,
 * with and without initial states, and the activation choices that select each backend path.
 */
final class ParitySuite {
  private ParitySuite() {}

  /** One randomized case. */
  record Case(String name, int batch, int steps, int features, RNNCell cell, boolean initialState, boolean sequences, long seed) {
    @Override
    public String toString() {
      return name + " B=" + batch + " T=" + steps + " I=" + features + (initialState ? " +initial state" : "");
    }
  }

  static List<Case> lstmCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("LSTM(1)", 1, 1, 3, lstm(1, Activation.TANH, Activation.SIGMOID), false, true, 1));
    cases.add(new Case("LSTM(4)", 7, 5, 6, lstm(4, Activation.TANH, Activation.SIGMOID), true, true, 2));
    cases.add(new Case("LSTM(64)", 64, 5, 16, lstm(64, Activation.TANH, Activation.SIGMOID), false, false, 3));
    cases.add(new Case("LSTM(4)", 1, 500, 6, lstm(4, Activation.TANH, Activation.SIGMOID), true, true, 4));
    cases.add(new Case("LSTM(512)", 7, 5, 32, lstm(512, Activation.TANH, Activation.SIGMOID), true, false, 5));
    cases.add(new Case("LSTM(64)", 7, 500, 8, lstm(64, Activation.TANH, Activation.SIGMOID), false, false, 6));
    cases.add(new Case("LSTM(512)", 64, 1, 16, lstm(512, Activation.TANH, Activation.SIGMOID), true, true, 7));
    cases.add(new Case("LSTM(4) hard_sigmoid (Keras 2)", 7, 5, 6, lstm(4, Activation.TANH, Activation.HARD_SIGMOID), true, true, 8));
    cases.add(new Case("LSTM(4) hard_sigmoid (Keras 3)", 7, 5, 6, lstm(4, Activation.TANH, Activation.HARD_SIGMOID_KERAS3), false, true, 9));
    cases.add(new Case("LSTM(8) relu", 7, 5, 6, lstm(8, Activation.RELU, Activation.SIGMOID), false, true, 10));
    cases.add(new Case("LSTM(8) linear/sigmoid", 3, 5, 6, lstm(8, Activation.LINEAR, Activation.SIGMOID), true, true, 11));
    cases.add(new Case("LSTM(8) sigmoid/tanh", 3, 5, 6, lstm(8, Activation.SIGMOID, Activation.TANH), false, true, 12));
    cases.add(new Case("LSTM(8) no bias", 3, 5, 6, LSTMCell.builder(8).useBias(false).build(), true, true, 13));
    cases.add(new Case("stack LSTM(4)+LSTM(5)", 2, 3, 6, stack(lstm(4, Activation.TANH, Activation.SIGMOID), lstm(5, Activation.TANH, Activation.SIGMOID)), true, true, 14));
    cases.add(new Case("stack LSTM(64)+LSTM(1)", 64, 5, 8, stack(lstm(64, Activation.TANH, Activation.SIGMOID), lstm(1, Activation.TANH, Activation.SIGMOID)), true, false, 15));
    cases.add(new Case("stack LSTM(512)+LSTM(4)", 1, 5, 16, stack(lstm(512, Activation.TANH, Activation.SIGMOID), lstm(4, Activation.TANH, Activation.SIGMOID)), false, true, 16));
    cases.add(new Case("stack LSTM(16)+LSTM(16)", 7, 500, 4, stack(lstm(16, Activation.TANH, Activation.SIGMOID), lstm(16, Activation.TANH, Activation.SIGMOID)), true, true, 17));
    cases.add(new Case("stack LSTM(8, hard_sigmoid)+LSTM(8)", 7, 5, 6, stack(lstm(8, Activation.TANH, Activation.HARD_SIGMOID), lstm(8, Activation.TANH, Activation.SIGMOID)), true, true, 18));
    return cases;
  }

  static SingleCell lstm(int units, Activation activation, Activation recurrent) {
    return LSTMCell.builder(units)
        .activation(activation)
        .recurrentActivation(recurrent)
        .biasInitializer(new RandomUniform(-0.5, 0.5))
        .build();
  }

  static RNNCell stack(SingleCell... cells) {
    return StackedRNNCells.of(cells);
  }

  static Stream<DynamicNode> tests(ContractContext ctx, List<Case> cases, String suite) {
    return cases.stream().map(c -> dynamicTest(c.toString(), () -> check(ctx, c, suite)));
  }

  /** The same cases, with another backend's results as the expected values. */
  static Stream<DynamicNode> against(ContractContext ctx, Backend other, List<Case> cases, String suite) {
    return cases.stream().map(c -> dynamicTest(c.toString(), () -> {
      Model model = model(c);
      Call call = call(c);
      Result expected;
      try (PreparedModel p = other.prepare(model)) {
        expected = p.run(call);
      }
      ctx.record(suite, Checks.assertResultsClose(c.toString(), expected, ctx.run(model, call), Checks.ATOL, 0));
    }));
  }

  static Model model(Case c) {
    RNN layer = RNN.builder(c.cell()).returnSequences(c.sequences()).returnState(true).build();
    return Model.initialized(Sequential.of(InputSpec.sequence(c.features()), layer), c.seed());
  }

  static Call call(Case c) {
    Tensor x = RandomData.uniform(c.seed() * 31 + 1, -1f, 1f, c.batch(), c.steps(), c.features());
    Call call = Call.of(x);
    if (c.initialState()) {
      List<Tensor> init = new ArrayList<>();
      int i = 0;
      for (int size : c.cell().stateSizes()) {
        init.add(RandomData.uniform(c.seed() * 97 + i++, -1f, 1f, c.batch(), size));
      }
      call = call.withInitialState(init);
    }
    return call;
  }

  static void check(ContractContext ctx, Case c, String suite) {
    Model model = model(c);
    Call call = call(c);
    Result expected = Float64Oracle.run(model, call);
    Result actual = ctx.run(model, call);
    ctx.record(suite, Checks.assertResultsClose(c.toString(), expected, actual, Checks.ATOL, 0));
  }
}

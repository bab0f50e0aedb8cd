package org.rnn4j.testing;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.StatefulModel;
import org.rnn4j.Tensor;

/** Every keras-js case (real Keras 2.0.x output) on the backend under test. */
final class GoldenSuite {
  private GoldenSuite() {}

  static Stream<DynamicNode> tests(ContractContext ctx) {
    Stream<DynamicNode> kerasJs = Stream.of("LSTM", "GRU", "SimpleRNN", "Bidirectional")
        .map(
            file ->
                DynamicContainer.dynamicContainer(
                    "keras-js " + file,
                    KerasJsCase.load(file).stream().map(c -> dynamicTest(c.id(), () -> check(ctx, c)))));
    DynamicNode rtNeural =
        DynamicContainer.dynamicContainer(
            "RTNeural (tf.keras 2, 100-step sequences)",
            RtNeuralCase.all().stream().map(c -> dynamicTest(c.toString(), () -> check(ctx, c))));
    return Stream.concat(kerasJs, Stream.of(rtNeural));
  }

  static void check(ContractContext ctx, RtNeuralCase c) {
    Tensor out = ctx.run(c.model(), c.input()).output();
    ctx.record("RTNeural golden", Checks.assertClose(c.toString(), c.expected(), out, Checks.ATOL, 0).maxAbs());
  }

  static void check(ContractContext ctx, KerasJsCase c) {
    try (PreparedModel p = ctx.backend().prepare(c.model())) {
      // Stateful cases: Keras predicted twice on the same input, each call starting from the
      // previous call's final states.
      StatefulModel stateful = StatefulModel.of(p);
      Result r = stateful.run(c.input());
      for (int call = 1; call < c.predictCalls(); call++) {
        r = stateful.run(c.input());
      }
      double err = Checks.assertClose(c.id(), c.expected(), r.output(), KerasJsCase.ATOL, 0).maxAbs();
      ctx.record("keras-js golden", err);
    }
  }

  static List<KerasJsCase> all() {
    return Stream.of("LSTM", "GRU", "SimpleRNN", "Bidirectional").flatMap(f -> KerasJsCase.load(f).stream()).toList();
  }
}

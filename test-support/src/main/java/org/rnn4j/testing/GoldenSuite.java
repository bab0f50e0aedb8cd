package org.rnn4j.testing;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Call;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;

/** Every keras-js case (real Keras 2.0.x output) on the backend under test. */
final class GoldenSuite {
  private GoldenSuite() {}

  static Stream<DynamicNode> tests(ContractContext ctx) {
    return Stream.of("LSTM", "GRU", "SimpleRNN", "Bidirectional")
        .map(
            file ->
                DynamicContainer.dynamicContainer(
                    "keras-js " + file,
                    KerasJsCase.load(file).stream().map(c -> dynamicTest(c.id(), () -> check(ctx, c)))));
  }

  static void check(ContractContext ctx, KerasJsCase c) {
    try (PreparedModel p = ctx.backend().prepare(c.model())) {
      Result r = p.run(c.input());
      for (int call = 1; call < c.predictCalls(); call++) {
        // A stateful layer starts its next call from the previous call's final states.
        r = p.run(Call.of(c.input()).withInitialStates(r.finalStates()));
      }
      double err = Checks.assertClose(c.id(), c.expected(), r.output(), KerasJsCase.ATOL, 0).maxAbs();
      ctx.record("keras-js golden", err);
    }
  }

  static List<KerasJsCase> all() {
    return Stream.of("LSTM", "GRU", "SimpleRNN", "Bidirectional").flatMap(f -> KerasJsCase.load(f).stream()).toList();
  }
}

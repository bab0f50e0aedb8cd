package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.function.Executable;
import org.rnn4j.Call;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Mask;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Sequential;

/** Calls that do not fit the model fail with an {@link InvalidInputException} that says what was expected. */
final class InputErrorSuite {
  private InputErrorSuite() {}

  static Stream<DynamicNode> tests(ContractContext ctx) {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(6), LSTM.builder(4).returnState(true).build()), 1);
    Tensor ok = Tensor.zeros(2, 3, 6);
    return Stream.of(
        case_(ctx, m, "wrong rank", Call.of(Tensor.zeros(3, 6)), "rank"),
        case_(ctx, m, "feature size differs from the kernel's rows", Call.of(Tensor.zeros(2, 3, 5)), "6 features, got 5"),
        case_(ctx, m, "empty time axis", Call.of(Tensor.zeros(2, 0, 6)), "empty time axis"),
        case_(ctx, m, "empty batch", Call.of(Tensor.zeros(0, 3, 6)), "empty axis 0"),
        case_(ctx, m, "too few initial states", Call.of(ok).withInitialState(Tensor.zeros(2, 4)), "has 2 states"),
        case_(ctx, m, "misshaped initial state", Call.of(ok).withInitialState(Tensor.zeros(2, 4), Tensor.zeros(2, 5)), "expected (2, 4)"),
        case_(ctx, m, "initial state of another batch size", Call.of(ok).withInitialState(Tensor.zeros(1, 4), Tensor.zeros(1, 4)), "expected (2, 4)"),
        case_(ctx, m, "mask of the wrong shape", Call.of(ok).withMask(Mask.allValid(2, 4)), "mask has shape (2, 4)"));
  }

  private static DynamicNode case_(ContractContext ctx, Model m, String name, Call call, String expectedText) {
    Executable e =
        () -> {
          try (PreparedModel p = ctx.backend().prepare(m)) {
            InvalidInputException ex = assertThrows(InvalidInputException.class, () -> p.run(call));
            assertTrue(ex.getMessage().contains(expectedText), "message '" + ex.getMessage() + "' should mention '" + expectedText + "'");
            assertTrue(!ex.getMessage().contains("\n"), "message is one line");
          }
        };
    return dynamicTest(name, e);
  }
}

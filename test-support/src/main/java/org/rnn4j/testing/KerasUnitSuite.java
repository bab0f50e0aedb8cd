package org.rnn4j.testing;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Call;
import org.rnn4j.Mask;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.initializers.Constant;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;

/**
 * Outputs recorded in Keras' own unit tests ({@code keras/src/layers/rnn/lstm_test.py}): layers
 * with constant initializers (kernel 0.01, recurrent kernel 0.02, bias 0.03) on {@code np.arange}
 * inputs. They exercise the initializers (including unit_forget_bias), go_backwards, use_bias,
 * initial states, stateful calls and masks. Keras asserts them with atol = rtol = 1e-5.
 */
final class KerasUnitSuite {
  private static final double TOL = 1e-5;

  private KerasUnitSuite() {}

  private static LSTM.Builder constantLstm(int units) {
    return LSTM.builder(units)
        .kernelInitializer(new Constant(0.01))
        .recurrentInitializer(new Constant(0.02))
        .biasInitializer(new Constant(0.03));
  }

  private static Model model(RNN layer, int... inputShape) {
    return Model.initialized(Sequential.of(InputSpec.of(inputShape), layer), 0);
  }

  private static Tensor rows(float[]... values) {
    return Tensor.of(values);
  }

  private static float[] repeat(float v, int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  static Stream<DynamicNode> tests(ContractContext ctx) {
    Tensor seq364 = Golden.arange(3, 6, 4);
    Tensor seq243 = Golden.arange(2, 4, 3);
    Tensor seq234 = Golden.arange(2, 3, 4);
    Tensor init = Golden.arange(2, 2);
    Mask mask = Mask.of(new boolean[][] {{true, true, true, false}, {true, true, false, false}});
    Mask backwardsMask = Mask.of(new boolean[][] {{false, true, true, true}, {false, false, true, true}});
    return Stream.of(
        dynamicTest(
            "LSTM correctness",
            () -> expect(ctx, model(constantLstm(3).build(), 6, 4), Call.of(seq364),
                rows(repeat(0.6288687f, 3), repeat(0.86899155f, 3), repeat(0.9460773f, 3)))),
        dynamicTest(
            "LSTM go_backwards",
            () -> expect(ctx, model(constantLstm(3).goBackwards(true).build(), 6, 4), Call.of(seq364),
                rows(repeat(0.35622165f, 3), repeat(0.74789524f, 3), repeat(0.8872726f, 3)))),
        dynamicTest(
            "LSTM unit_forget_bias=False",
            () -> expect(ctx, model(constantLstm(3).unitForgetBias(false).build(), 6, 4), Call.of(seq364),
                rows(repeat(0.57019705f, 3), repeat(0.8661914f, 3), repeat(0.9459622f, 3)))),
        dynamicTest(
            "LSTM use_bias=False",
            () -> expect(ctx, model(constantLstm(3).useBias(false).build(), 6, 4), Call.of(seq364),
                rows(repeat(0.54986924f, 3), repeat(0.86226785f, 3), repeat(0.9443936f, 3)))),
        dynamicTest(
            "LSTM stateful (second call)",
            () -> {
              try (PreparedModel p = ctx.backend().prepare(model(constantLstm(4).stateful(true).build(), 3, 4))) {
                Result first = p.run(seq234);
                Result second = p.run(Call.of(seq234).withInitialStates(first.finalStates()));
                Checks.assertClose("stateful", rows(repeat(0.3124785f, 4), repeat(0.6863672f, 4)), second.output(), TOL, TOL);
              }
            }),
        dynamicTest(
            "LSTM initial state",
            () -> expect(ctx, model(constantLstm(2).build(), 4, 3), Call.of(seq243).withInitialState(init, init),
                rows(new float[] {0.20574439f, 0.3558822f}, new float[] {0.64930826f, 0.66276f}))),
        dynamicTest(
            "LSTM initial state, go_backwards",
            () -> expect(ctx, model(constantLstm(2).goBackwards(true).build(), 4, 3), Call.of(seq243).withInitialState(init, init),
                rows(new float[] {0.13281618f, 0.2790356f}, new float[] {0.5839337f, 0.5992567f}))),
        dynamicTest(
            "LSTM mask, last output",
            () -> expect(ctx, model(constantLstm(2).build(), 4, 3), Call.of(seq243).withMask(mask),
                rows(repeat(0.11755939f, 2), repeat(0.28556206f, 2)))),
        dynamicTest(
            "LSTM mask, return_sequences",
            () -> expect(ctx, model(constantLstm(2).returnSequences(true).build(), 4, 3), Call.of(seq243).withMask(mask),
                Tensor.of(new float[][][] {
                  {repeat(0.0158891f, 2), repeat(0.05552048f, 2), repeat(0.11755939f, 2), repeat(0.11755939f, 2)},
                  {repeat(0.14185596f, 2), repeat(0.28556206f, 2), repeat(0.28556206f, 2), repeat(0.28556206f, 2)}}))),
        dynamicTest(
            "LSTM mask, zero_output_for_mask",
            () -> expect(ctx, model(constantLstm(2).returnSequences(true).zeroOutputForMask(true).build(), 4, 3),
                Call.of(seq243).withMask(mask),
                Tensor.of(new float[][][] {
                  {repeat(0.0158891f, 2), repeat(0.05552048f, 2), repeat(0.11755939f, 2), repeat(0f, 2)},
                  {repeat(0.14185596f, 2), repeat(0.28556206f, 2), repeat(0f, 2), repeat(0f, 2)}}))),
        dynamicTest(
            "LSTM mask, go_backwards",
            () -> expect(ctx, model(constantLstm(2).goBackwards(true).build(), 4, 3), Call.of(seq243).withMask(backwardsMask),
                rows(repeat(0.15341201f, 2), repeat(0.3844719f, 2)))));
  }

  private static void expect(ContractContext ctx, Model model, Call call, Tensor expected) {
    Tensor out = ctx.run(model, call).output();
    ctx.record("Keras unit-test values", Checks.assertClose(model.architecture().layer(0).toString(), expected, out, TOL, TOL).maxAbs());
  }
}

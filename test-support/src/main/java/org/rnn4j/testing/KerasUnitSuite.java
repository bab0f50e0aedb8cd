package org.rnn4j.testing;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Call;
import org.rnn4j.Mask;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.initializers.Constant;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNN;

/**
 * Outputs recorded in Keras' own unit tests ({@code keras/src/layers/rnn/{lstm,gru,simple_rnn,
 * bidirectional}_test.py}, Keras 3): layers with constant initializers (kernel 0.01, recurrent
 * kernel 0.02, bias 0.03 unless stated) on {@code np.arange} inputs. They exercise the
 * initializers (unit_forget_bias, GRU's two bias rows), go_backwards, use_bias, reset_after,
 * initial states, stateful second calls, masks in the middle and at the end, zero_output_for_mask,
 * and Bidirectional's merge modes, backward_layer and return_state. Keras asserts them with atol =
 * rtol = 1e-5 or tighter; so does this suite.
 */
final class KerasUnitSuite {
  private static final double TOL = 1e-5;

  private KerasUnitSuite() {}

  private static LSTM.Builder lstm(int units) {
    return LSTM.builder(units).kernelInitializer(new Constant(0.01)).recurrentInitializer(new Constant(0.02))
        .biasInitializer(new Constant(0.03));
  }

  private static GRU.Builder gru(int units) {
    return GRU.builder(units).kernelInitializer(new Constant(0.01)).recurrentInitializer(new Constant(0.02))
        .biasInitializer(new Constant(0.03));
  }

  private static SimpleRNN.Builder simple(int units) {
    return SimpleRNN.builder(units).kernelInitializer(new Constant(0.01)).recurrentInitializer(new Constant(0.02))
        .biasInitializer(new Constant(0.03));
  }

  private static Model model(Layer layer, int... inputShape) {
    return Model.initialized(Sequential.of(InputSpec.of(inputShape), layer), 0);
  }

  /** Rows whose elements repeat one value each: {@code rows(2, 0.5, 0.7)} is [[0.5, 0.5], [0.7, 0.7]]. */
  private static Tensor rows(int width, double... values) {
    float[][] m = new float[values.length][width];
    for (int i = 0; i < values.length; i++) {
      Arrays.fill(m[i], (float) values[i]);
    }
    return Tensor.of(m);
  }

  /** Sequences (batch, time, width) whose rows repeat one value each. */
  private static Tensor sequences(int width, double[]... perBatch) {
    float[][][] c = new float[perBatch.length][][];
    for (int b = 0; b < perBatch.length; b++) {
      c[b] = rows(width, perBatch[b]).toMatrix();
    }
    return Tensor.of(c);
  }

  private static Tensor matrix(float[]... rows) {
    return Tensor.of(rows);
  }

  private static final Tensor A364 = Golden.arange(3, 6, 4);
  private static final Tensor A243 = Golden.arange(2, 4, 3);
  private static final Tensor A234 = Golden.arange(2, 3, 4);
  private static final Tensor INIT22 = Golden.arange(2, 2);
  private static final Mask END_MASK = Mask.of(new boolean[][] {{true, true, true, false}, {true, true, false, false}});
  private static final Mask MID_MASK = Mask.of(new boolean[][] {{true, true, false, true}, {true, false, false, true}});

  static Stream<DynamicNode> tests(ContractContext ctx) {
    return Stream.of(
        dynamicContainer("LSTM", Stream.of(
            expect(ctx, "correctness", model(lstm(3).build(), 6, 4), Call.of(A364), rows(3, 0.6288687, 0.86899155, 0.9460773)),
            expect(ctx, "go_backwards", model(lstm(3).goBackwards(true).build(), 6, 4), Call.of(A364),
                rows(3, 0.35622165, 0.74789524, 0.8872726)),
            expect(ctx, "unit_forget_bias=False", model(lstm(3).unitForgetBias(false).build(), 6, 4), Call.of(A364),
                rows(3, 0.57019705, 0.8661914, 0.9459622)),
            expect(ctx, "use_bias=False", model(lstm(3).useBias(false).build(), 6, 4), Call.of(A364),
                rows(3, 0.54986924, 0.86226785, 0.9443936)),
            secondCall(ctx, "stateful", model(lstm(4).stateful(true).build(), 3, 4), A234, rows(4, 0.3124785, 0.6863672)),
            expect(ctx, "initial state", model(lstm(2).build(), 4, 3), Call.of(A243).withInitialState(INIT22, INIT22),
                matrix(new float[] {0.20574439f, 0.3558822f}, new float[] {0.64930826f, 0.66276f})),
            expect(ctx, "initial state, go_backwards", model(lstm(2).goBackwards(true).build(), 4, 3),
                Call.of(A243).withInitialState(INIT22, INIT22),
                matrix(new float[] {0.13281618f, 0.2790356f}, new float[] {0.5839337f, 0.5992567f})),
            expect(ctx, "mask, last output", model(lstm(2).build(), 4, 3), Call.of(A243).withMask(END_MASK),
                rows(2, 0.11755939, 0.28556206)),
            expect(ctx, "mask, return_sequences", model(lstm(2).returnSequences(true).build(), 4, 3), Call.of(A243).withMask(END_MASK),
                sequences(2, new double[] {0.0158891, 0.05552048, 0.11755939, 0.11755939},
                    new double[] {0.14185596, 0.28556206, 0.28556206, 0.28556206})),
            expect(ctx, "mask, zero_output_for_mask", model(lstm(2).returnSequences(true).zeroOutputForMask(true).build(), 4, 3),
                Call.of(A243).withMask(END_MASK),
                sequences(2, new double[] {0.0158891, 0.05552048, 0.11755939, 0}, new double[] {0.14185596, 0.28556206, 0, 0})),
            expect(ctx, "mask, go_backwards", model(lstm(2).goBackwards(true).build(), 4, 3),
                Call.of(A243).withMask(Mask.of(new boolean[][] {{false, true, true, true}, {false, false, true, true}})),
                rows(2, 0.15341201, 0.3844719)))),
        dynamicContainer("GRU", Stream.of(
            expect(ctx, "correctness (reset_after=True)", model(gru(3).build(), 6, 4), Call.of(A364),
                rows(3, 0.5217289, 0.6371659, 0.39384964)),
            expect(ctx, "go_backwards", model(gru(3).goBackwards(true).build(), 6, 4), Call.of(A364),
                rows(3, 0.24406259, 0.611516, 0.3928808)),
            expect(ctx, "reset_after=False", model(gru(3).resetAfter(false).build(), 6, 4), Call.of(A364),
                rows(3, 0.51447755, 0.6426879, 0.40208298)),
            expect(ctx, "use_bias=False", model(gru(3).useBias(false).build(), 6, 4), Call.of(A364),
                rows(3, 0.49988455, 0.64701194, 0.4103359)),
            secondCall(ctx, "stateful", model(gru(4).stateful(true).build(), 3, 4), A234, rows(4, 0.29542392, 0.5885018)),
            expect(ctx, "initial state", model(gru(2).build(), 4, 3), Call.of(A243).withInitialState(INIT22),
                matrix(new float[] {0.23774096f, 0.33508456f}, new float[] {0.83659905f, 1.0227708f})),
            expect(ctx, "initial state, go_backwards", model(gru(2).goBackwards(true).build(), 4, 3),
                Call.of(A243).withInitialState(INIT22),
                matrix(new float[] {0.13486053f, 0.23261218f}, new float[] {0.78257304f, 0.9691353f})),
            expect(ctx, "return_state: the state is the output", model(gru(2).returnState(true).build(), 4, 3),
                Call.of(A243).withInitialState(INIT22), 1,
                matrix(new float[] {0.23774096f, 0.33508456f}, new float[] {0.83659905f, 1.0227708f})),
            expect(ctx, "mask in the middle, last output", model(gru(2).build(), 4, 3), Call.of(A243).withMask(MID_MASK),
                rows(2, 0.19393763, 0.30818558)),
            expect(ctx, "mask in the middle, return_sequences", model(gru(2).returnSequences(true).build(), 4, 3),
                Call.of(A243).withMask(MID_MASK),
                sequences(2, new double[] {0.03606692, 0.09497581, 0.09497581, 0.19393763},
                    new double[] {0.16051409, 0.16051409, 0.16051409, 0.30818558})),
            expect(ctx, "mask in the middle, zero_output_for_mask", model(gru(2).returnSequences(true).zeroOutputForMask(true).build(), 4, 3),
                Call.of(A243).withMask(MID_MASK),
                sequences(2, new double[] {0.03606692, 0.09497581, 0, 0.19393763}, new double[] {0.16051409, 0, 0, 0.30818558})),
            expect(ctx, "mask in the middle, go_backwards", model(gru(2).goBackwards(true).build(), 4, 3), Call.of(A243).withMask(MID_MASK),
                rows(2, 0.11669192, 0.28380975)))),
        dynamicContainer("SimpleRNN", Stream.of(
            expect(ctx, "correctness", model(simple(4).build(), 3, 4), Call.of(A234), rows(4, 0.405432, 0.73605347)),
            expect(ctx, "go_backwards", model(simple(4).goBackwards(true).build(), 3, 4), Call.of(A234), rows(4, 0.11144729, 0.5528889)),
            secondCall(ctx, "stateful", model(simple(4).stateful(true).build(), 3, 4), A234, rows(4, 0.40559256, 0.7361247)),
            expect(ctx, "initial state", model(simple(4).build(), 4, 3), Call.of(A243).withInitialState(Golden.arange(2, 4)),
                rows(4, 0.33621645, 0.6262637)),
            expect(ctx, "initial state, go_backwards", model(simple(4).goBackwards(true).build(), 4, 3),
                Call.of(A243).withInitialState(Golden.arange(2, 4)), rows(4, 0.07344437, 0.43043602)),
            expect(ctx, "mask in the middle, last output", model(simple(4).build(), 4, 3), Call.of(A243).withMask(MID_MASK),
                rows(4, 0.32951632, 0.61799484)),
            expect(ctx, "mask in the middle, return_sequences", model(simple(2).returnSequences(true).build(), 4, 3),
                Call.of(A243).withMask(MID_MASK),
                sequences(2, new double[] {0.0599281, 0.15122814, 0.15122814, 0.32394567},
                    new double[] {0.3969304, 0.3969304, 0.3969304, 0.608085})),
            expect(ctx, "mask in the middle, zero_output_for_mask", model(simple(2).returnSequences(true).zeroOutputForMask(true).build(), 4, 3),
                Call.of(A243).withMask(MID_MASK),
                sequences(2, new double[] {0.0599281, 0.15122814, 0, 0.32394567}, new double[] {0.3969304, 0, 0, 0.608085})),
            expect(ctx, "mask in the middle, go_backwards", model(simple(4).goBackwards(true).build(), 4, 3), Call.of(A243).withMask(MID_MASK),
                rows(4, 0.07376196, 0.43645123)))),
        dynamicContainer("Bidirectional", Stream.of(
            expect(ctx, "SimpleRNN, concat", model(Bidirectional.of(simple(2).build()), 3, 4), Call.of(A234),
                matrix(new float[] {0.39687276f, 0.39687276f, 0.10004295f, 0.10004295f},
                    new float[] {0.7237238f, 0.7237238f, 0.53391594f, 0.53391594f})),
            expect(ctx, "SimpleRNN, ave", model(Bidirectional.of(simple(2).build(), MergeMode.AVE), 3, 4), Call.of(A234),
                rows(2, 0.24845785, 0.6288199)),
            expect(ctx, "SimpleRNN, merge_mode=None: forward output", model(Bidirectional.of(simple(2).build(), MergeMode.NONE), 3, 4),
                Call.of(A234), 0, rows(2, 0.39687276, 0.7237238)),
            expect(ctx, "SimpleRNN, merge_mode=None: backward output", model(Bidirectional.of(simple(2).build(), MergeMode.NONE), 3, 4),
                Call.of(A234), 1, rows(2, 0.10004295, 0.53391594)),
            expect(ctx, "SimpleRNN with a backward_layer, mul",
                model(Bidirectional.of(simple(2).build(), SimpleRNN.builder(2).kernelInitializer(new Constant(0.03))
                    .recurrentInitializer(new Constant(0.02)).biasInitializer(new Constant(0.01)).goBackwards(true).build(),
                    MergeMode.MUL, null), 3, 4),
                Call.of(A234), rows(2, 0.08374989, 0.6740834)),
            expect(ctx, "GRU, return_sequences, sum", model(Bidirectional.of(gru(2).returnSequences(true).build(), MergeMode.SUM), 3, 4),
                Call.of(A234),
                sequences(2, new double[] {0.20937867, 0.34462988, 0.40290534}, new double[] {0.59829646, 0.6734641, 0.6479671})),
            secondCall(ctx, "LSTM, stateful", model(Bidirectional.of(lstm(2).stateful(true).build()), 4, 3), A243,
                matrix(new float[] {0.26234663f, 0.26234663f, 0.16959146f, 0.16959146f},
                    new float[] {0.6137073f, 0.6137073f, 0.5381646f, 0.5381646f})),
            expect(ctx, "LSTM, initial state (forward h, c, backward h, c)", model(Bidirectional.of(lstm(2).build()), 4, 3),
                Call.of(A243).withInitialState(scaled(INIT22, 1), scaled(INIT22, 2), scaled(INIT22, 3), scaled(INIT22, 4)),
                matrix(new float[] {0.20794602f, 0.4577124f, 0.14046375f, 0.48191673f},
                    new float[] {0.6682636f, 0.6711909f, 0.60943645f, 0.60950446f})),
            expect(ctx, "GRU, mask in the middle", model(Bidirectional.of(gru(2).build()), 4, 3), Call.of(A243).withMask(MID_MASK),
                matrix(new float[] {0.19393763f, 0.19393763f, 0.11669192f, 0.11669192f},
                    new float[] {0.30818558f, 0.30818558f, 0.28380975f, 0.28380975f})),
            returnState(ctx))),
        dynamicContainer("Attention", Stream.of(
            attention(ctx, org.rnn4j.layers.Attention.Kind.DOT,
                matrix(new float[] {2.462f, 3.462f}, new float[] {1.538f, 2.538f}),
                matrix(new float[] {0.269f, 0.731f}, new float[] {0.731f, 0.269f})),
            attention(ctx, org.rnn4j.layers.Attention.Kind.CONCAT,
                matrix(new float[] {1.727f, 2.727f}, new float[] {2.272f, 3.272f}),
                matrix(new float[] {0.636f, 0.363f}, new float[] {0.363f, 0.636f})))));
  }

  /**
   * {@code output, scores = Attention(score_mode=kind)([query, value, key],
   * return_attention_scores=True)} from Keras' {@code attention_test.py}: Keras records these to
   * three decimals and asserts them with atol 1e-3, the tolerance used here.
   */
  private static DynamicNode attention(ContractContext ctx, org.rnn4j.layers.Attention.Kind kind, Tensor output, Tensor scores) {
    return dynamicTest("score_mode=" + kind.name().toLowerCase(java.util.Locale.ROOT) + ": output and scores", () -> {
      Functional.Builder b = Functional.builder();
      Functional.Ref query = b.input("query", InputSpec.sequence(2));
      Functional.Ref value = b.input("value", InputSpec.sequence(2));
      Functional.Ref key = b.input("key", InputSpec.sequence(2));
      List<Functional.Ref> out = b.call(org.rnn4j.layers.Attention.of(kind, false, false, null), List.of(query, value, key),
          java.util.Set.of(Functional.RETURN_SCORES));
      Model model = Model.initialized(b.build("attention", out.get(0), out.get(1)), 0);
      Call call = Call.of(List.of(Tensor.of(new float[][][] {{{1, 0}, {0, 1}}}), Tensor.of(new float[][][] {{{1, 2}, {3, 4}}}),
          Tensor.of(new float[][][] {{{0, 1}, {1, 0}}})));
      List<Tensor> actual = ctx.run(model, call).flat();
      double recorded = 1e-3;
      ctx.record("Keras unit-test values", Checks.assertClose("output", batchOf(output), actual.get(0), recorded, 0).maxAbs());
      ctx.record("Keras unit-test values", Checks.assertClose("scores", batchOf(scores), actual.get(1), recorded, 0).maxAbs());
    });
  }

  private static Tensor batchOf(Tensor matrix) {
    return Tensor.of(new float[][][] {matrix.toMatrix()});
  }

  private static Tensor scaled(Tensor t, float k) {
    float[] d = t.toArray();
    for (int i = 0; i < d.length; i++) {
      d[i] *= k;
    }
    return Tensor.of(t.shape(), d);
  }

  /** {@code output, h1, c1, h2, c2 = Bidirectional(LSTM(2, return_state=True))(x)}. */
  private static DynamicNode returnState(ContractContext ctx) {
    return dynamicTest("LSTM, return_state: output, forward h, c, backward h, c", () -> {
      Result r = ctx.run(model(Bidirectional.of(lstm(2).returnState(true).build()), 4, 3), Call.of(A243));
      List<Tensor> expected = List.of(
          matrix(new float[] {0.1990008f, 0.1990008f, 0.12659755f, 0.12659755f}, new float[] {0.52335435f, 0.52335435f, 0.44717982f, 0.44717982f}),
          rows(2, 0.1990008, 0.52335435), rows(2, 0.35567185, 1.0492687), rows(2, 0.12659755, 0.44717982), rows(2, 0.2501858, 0.941473));
      for (int i = 0; i < expected.size(); i++) {
        ctx.record("Keras unit-test values", Checks.assertClose("tensor " + i, expected.get(i), r.flat().get(i), TOL, TOL).maxAbs());
      }
    });
  }

  private static DynamicNode expect(ContractContext ctx, String name, Model model, Call call, Tensor expected) {
    return expect(ctx, name, model, call, 0, expected);
  }

  /** Expects flat tensor {@code index} of the result (0: the output). */
  private static DynamicNode expect(ContractContext ctx, String name, Model model, Call call, int index, Tensor expected) {
    return dynamicTest(name, () -> {
      Tensor out = ctx.run(model, call).flat().get(index);
      ctx.record("Keras unit-test values", Checks.assertClose(name, expected, out, TOL, TOL).maxAbs());
    });
  }

  /** A stateful layer called twice on the same input: the second call starts from the first's final states. */
  private static DynamicNode secondCall(ContractContext ctx, String name, Model model, Tensor input, Tensor expected) {
    return dynamicTest(name + " (second call)", () -> {
      try (PreparedModel p = ctx.backend().prepare(model)) {
        Result first = p.run(input);
        Result second = p.run(Call.of(input).withInitialStates(first.finalStates()));
        ctx.record("Keras unit-test values", Checks.assertClose(name, expected, second.output(), TOL, TOL).maxAbs());
      }
    });
  }

}

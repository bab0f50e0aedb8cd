package org.rnn4j.testing;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.Mask;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.initializers.RandomUniform;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.layers.SimpleRNNCell;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.layers.TimeDistributed;

/**
 * Seeded random models of the whole recurrent family against the float64 oracle (and, for
 * backends other than the reference one, against the reference backend), within {@link
 * Checks#ATOL}: GRU (both reset variants), SimpleRNN, mixed stacks, go_backwards, masks at the end
 * and in the middle (explicit, from {@code Masking}, from {@code Embedding(mask_zero)}),
 * zero_output_for_mask, Bidirectional in every merge mode with return_state, every activation,
 * and the non-recurrent layers of a Sequential model.
 */
final class FamilySuite {
  private FamilySuite() {}

  enum MaskKind { NONE, END, MIDDLE }

  /** One random case: a model, how its input is drawn and masked, and whether initial states are given. */
  record Case(String name, Sequential arch, int batch, int steps, MaskKind mask, boolean initialState, long seed) {
    @Override
    public String toString() {
      return name + " B=" + batch + " T=" + steps + (mask == MaskKind.NONE ? "" : " mask=" + mask.name().toLowerCase())
          + (initialState ? " +initial state" : "");
    }
  }

  private static final RandomUniform BIAS = new RandomUniform(-0.5, 0.5);

  private static InputSpec seq(int f) {
    return InputSpec.sequence(f);
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    long s = 100;
    // Cells
    c.add(new Case("GRU(8) reset_after", Sequential.of(seq(6), GRU.builder(8).biasInitializer(BIAS).returnSequences(true).returnState(true).build()), 7, 9, MaskKind.NONE, true, s++));
    c.add(new Case("GRU(8) reset_after=False", Sequential.of(seq(6), GRU.builder(8).resetAfter(false).biasInitializer(BIAS).returnSequences(true).returnState(true).build()), 7, 9, MaskKind.NONE, true, s++));
    c.add(new Case("GRU(64)", Sequential.of(seq(16), GRU.builder(64).biasInitializer(BIAS).returnState(true).build()), 64, 5, MaskKind.NONE, false, s++));
    c.add(new Case("GRU(16) reset_after=False", Sequential.of(seq(4), GRU.builder(16).resetAfter(false).returnState(true).build()), 3, 200, MaskKind.NONE, true, s++));
    c.add(new Case("SimpleRNN(8)", Sequential.of(seq(6), SimpleRNN.builder(8).biasInitializer(BIAS).returnSequences(true).returnState(true).build()), 7, 9, MaskKind.NONE, true, s++));
    c.add(new Case("SimpleRNN(64) relu", Sequential.of(seq(16), SimpleRNN.builder(64).activation(Activation.RELU).returnState(true).build()), 16, 20, MaskKind.NONE, false, s++));
    c.add(new Case("GRU(6) no bias", Sequential.of(seq(5), GRU.builder(6).useBias(false).returnSequences(true).returnState(true).build()), 3, 6, MaskKind.NONE, true, s++));
    c.add(new Case("SimpleRNN(6) no bias", Sequential.of(seq(5), SimpleRNN.builder(6).useBias(false).returnSequences(true).returnState(true).build()), 3, 6, MaskKind.NONE, true, s++));
    c.add(new Case("stack LSTM(6)+GRU(5)+SimpleRNN(4)", Sequential.of(seq(5), RNN.builder(StackedRNNCells.of(
        LSTMCell.builder(6).biasInitializer(BIAS).build(), GRUCell.builder(5).biasInitializer(BIAS).build(),
        SimpleRNNCell.builder(4).biasInitializer(BIAS).build())).returnSequences(true).returnState(true).build()), 7, 8, MaskKind.NONE, true, s++));
    c.add(new Case("stack GRU(5, reset_after=False)+LSTM(3)", Sequential.of(seq(5), RNN.builder(StackedRNNCells.of(
        GRUCell.builder(5).resetAfter(false).build(), LSTMCell.of(3))).returnState(true).goBackwards(true).build()), 4, 6, MaskKind.NONE, true, s++));
    // go_backwards and masks
    for (MaskKind mask : List.of(MaskKind.END, MaskKind.MIDDLE)) {
      for (boolean back : List.of(false, true)) {
        String b = back ? " go_backwards" : "";
        c.add(new Case("LSTM(6)" + b, Sequential.of(seq(5), LSTM.builder(6).biasInitializer(BIAS).goBackwards(back).returnSequences(true).returnState(true).build()), 7, 9, mask, true, s++));
        c.add(new Case("GRU(6)" + b + " zero_output_for_mask", Sequential.of(seq(5), GRU.builder(6).goBackwards(back).zeroOutputForMask(true).returnSequences(true).returnState(true).build()), 7, 9, mask, false, s++));
        c.add(new Case("SimpleRNN(6)" + b + " last output", Sequential.of(seq(5), SimpleRNN.builder(6).goBackwards(back).returnState(true).build()), 7, 9, mask, true, s++));
        c.add(new Case("stack LSTM(5)+GRU(4)" + b, Sequential.of(seq(5), RNN.builder(StackedRNNCells.of(LSTMCell.of(5), GRUCell.of(4)))
            .goBackwards(back).returnSequences(true).returnState(true).build()), 7, 9, mask, true, s++));
      }
    }
    c.add(new Case("Masking(0) -> LSTM(6) -> Dense(3)", Sequential.of(seq(4), Masking.of(0f), LSTM.builder(6).returnSequences(true).build(),
        Dense.builder(3).activation(Activation.SIGMOID).build()), 7, 9, MaskKind.END, false, s++));
    c.add(new Case("Masking(0) -> GRU(6, seq) -> GRU(5)", Sequential.of(seq(4), Masking.of(0f), GRU.builder(6).returnSequences(true).build(),
        GRU.builder(5).returnState(true).build()), 7, 9, MaskKind.MIDDLE, false, s++));
    // Bidirectional
    for (MergeMode mode : MergeMode.values()) {
      c.add(new Case("Bidirectional(LSTM(5), " + mode + ") return_state", Sequential.of(seq(4),
          Bidirectional.of(LSTM.builder(5).biasInitializer(BIAS).returnSequences(true).returnState(true).build(), mode)), 5, 7, MaskKind.NONE, true, s++));
    }
    c.add(new Case("Bidirectional(GRU(4)) masked, last output", Sequential.of(seq(4), Bidirectional.of(GRU.of(4))), 5, 7, MaskKind.MIDDLE, false, s++));
    c.add(new Case("Bidirectional(SimpleRNN(4), seq) masked, sum", Sequential.of(seq(4),
        Bidirectional.of(SimpleRNN.builder(4).returnSequences(true).build(), MergeMode.SUM)), 5, 7, MaskKind.END, false, s++));
    c.add(new Case("Bidirectional(LSTM(4), backward_layer=LSTM(4, relu)) concat", Sequential.of(seq(4),
        Bidirectional.of(LSTM.builder(4).returnSequences(true).build(), LSTM.builder(4).activation(Activation.RELU).goBackwards(true)
            .returnSequences(true).build(), MergeMode.CONCAT, null)), 5, 7, MaskKind.MIDDLE, false, s++));
    c.add(new Case("Bidirectional(stack) return_state", Sequential.of(seq(4), Bidirectional.of(RNN.builder(StackedRNNCells.of(
        LSTMCell.of(3), GRUCell.of(3))).returnState(true).build())), 5, 7, MaskKind.NONE, true, s++));
    // Sequential models with the other layers
    c.add(new Case("Conv1D(8, 3, relu) -> MaxPooling1D(2) -> LSTM(6) -> Dense(3, softmax)", Sequential.of(seq(2),
        Conv1D.builder(8, 3).activation(Activation.RELU).biasInitializer(BIAS).build(), Pooling.of(Pooling.Kind.MAX, 2, 2, false, null),
        LSTM.of(6), Dense.builder(3).activation(Activation.SOFTMAX).build()), 5, 13, MaskKind.NONE, false, s++));
    c.add(new Case("Conv1D(6, 3, same, strides 2) -> AveragePooling1D(3, 2, same) -> GRU(5, seq) -> GlobalAveragePooling1D",
        Sequential.of(seq(3), Conv1D.builder(6, 3).padding(Conv1D.Padding.SAME).strides(2).biasInitializer(BIAS).build(),
            Pooling.of(Pooling.Kind.AVERAGE, 3, 2, true, null), GRU.builder(5).returnSequences(true).build(),
            GlobalPooling.of(Pooling.Kind.AVERAGE, false, null)), 4, 14, MaskKind.NONE, false, s++));
    c.add(new Case("Conv1D(8, 2, causal, dilation 2, groups 2, tanh) -> LayerNormalization -> SimpleRNN(4)", Sequential.of(seq(4),
        Conv1D.builder(8, 2).padding(Conv1D.Padding.CAUSAL).dilation(2).groups(2).activation(Activation.TANH).build(),
        Normalization.of(Normalization.Kind.LAYER, 1e-3, true, true, null), SimpleRNN.of(4)), 3, 9, MaskKind.NONE, false, s++));
    c.add(new Case("SeparableConv1D(5, 3, same, depth_multiplier 2, relu) -> SeparableConv1D(4, 2, causal, dilation 2, no bias) -> GRU(3, seq)"
        + " -> SeparableConv1D(2, 3, strides 2, depth_multiplier 3, tanh)", Sequential.of(seq(3),
        org.rnn4j.layers.SeparableConv1D.of(5, 2, Conv1D.builder(1, 3).padding(Conv1D.Padding.SAME).build(), Activation.RELU, true,
            org.rnn4j.initializers.Initializer.glorotUniform(), org.rnn4j.initializers.Initializer.glorotUniform(), BIAS, null),
        org.rnn4j.layers.SeparableConv1D.of(4, 1, Conv1D.builder(1, 2).padding(Conv1D.Padding.CAUSAL).dilation(2).build(), Activation.LINEAR,
            false, null),
        GRU.builder(3).returnSequences(true).build(),
        org.rnn4j.layers.SeparableConv1D.of(2, 3, Conv1D.builder(1, 3).strides(2).build(), Activation.TANH, true, null)),
        3, 11, MaskKind.NONE, false, s++));
    c.add(new Case("Conv1D(4, 5, same, strides 3) -> MaxPooling1D(2, 1, same) -> GlobalMaxPooling1D(keepdims) -> LSTM(3)",
        Sequential.of(seq(3), Conv1D.builder(4, 5).padding(Conv1D.Padding.SAME).strides(3).build(),
            Pooling.of(Pooling.Kind.MAX, 2, 1, true, null), GlobalPooling.of(Pooling.Kind.MAX, true, null), LSTM.of(3)),
        3, 10, MaskKind.NONE, false, s++));
    c.add(new Case("LSTM(6, seq) -> LeakyReLU(0.1) -> Reshape((-1, 3)) -> ReLU(max 0.3, slope 0.2, threshold 0.05) -> GRU(4)",
        Sequential.of(seq(3), LSTM.builder(6).returnSequences(true).build(), Rectifier.leakyRelu(0.1, null), Rearrange.reshape(new int[] {-1, 3}, null),
            Rectifier.relu(0.3, 0.2, 0.05, null), GRU.of(4)), 3, 5, MaskKind.NONE, false, s++));
    c.add(new Case("(6, 3): Conv1D(4, 2, same) -> PReLU(shared time) -> ZeroPadding1D(1, 2) -> Cropping1D(2, 0) -> UpSampling1D(2) -> Permute(2, 1)"
        + " -> ELU(0.5) -> ThresholdedReLU(0.1) -> SimpleRNN(3) -> Reshape((3, 1)) -> Reshape((3,))",
        Sequential.of(InputSpec.of(6, 3), Conv1D.builder(4, 2).padding(Conv1D.Padding.SAME).biasInitializer(BIAS).build(),
            Rectifier.prelu(new int[] {1}, org.rnn4j.initializers.Initializer.zeros(), null), Rearrange.zeroPadding1d(1, 2, null),
            Rearrange.cropping1d(2, 0, null), Rearrange.upSampling1d(2, null), Rearrange.permute(new int[] {2, 1}, null),
            Rectifier.elu(0.5, null), Rectifier.thresholdedRelu(0.1, null), SimpleRNN.of(3), Rearrange.reshape(new int[] {3, 1}, null),
            Rearrange.reshape(new int[] {3}, null)), 4, 6, MaskKind.NONE, false, s++));
    c.add(new Case("Normalization (adapted) -> GRU(5, seq) -> Normalization(mean, variance given, invert) -> Dense(2)",
        Sequential.of(seq(3), Normalization.standardize(-1, null, null, false, null), GRU.builder(5).returnSequences(true).build(),
            Normalization.standardize(-1, new float[] {0.5f, -1f, 2f, 0f, 1f}, new float[] {4f, 0.25f, 1e-16f, 1f, 9f}, true, null),
            Dense.of(2)), 4, 6, MaskKind.NONE, false, s++));
    c.add(new Case("CNN-LSTM on (time, 6, 2): TimeDistributed(Conv1D(4, 3, relu)) -> TimeDistributed(MaxPooling1D(2)) -> TimeDistributed(Flatten)"
        + " -> LSTM(5) -> Dense(1)", Sequential.of(InputSpec.of(-1, 6, 2),
            TimeDistributed.of(Conv1D.builder(4, 3).activation(Activation.RELU).biasInitializer(BIAS).build()),
            TimeDistributed.of(Pooling.of(Pooling.Kind.MAX, 2, 2, false, null)), TimeDistributed.of(Flatten.of(null)),
            LSTM.of(5), Dense.of(1)), 3, 4, MaskKind.NONE, false, s++));
    c.add(new Case("Masking -> LSTM(6, seq) -> BatchNormalization -> GlobalAveragePooling1D (masked mean)", Sequential.of(seq(3),
        Masking.of(0f), LSTM.builder(6).returnSequences(true).build(), Normalization.of(Normalization.Kind.BATCH, 1e-3, true, true, null),
        GlobalPooling.of(Pooling.Kind.AVERAGE, false, null)), 6, 8, MaskKind.MIDDLE, false, s++));
    c.add(new Case("LSTM(6, seq) -> BatchNormalization(no center) -> GlobalMaxPooling1D -> LayerNormalization(no scale) -> Dense(2)",
        Sequential.of(seq(3), LSTM.builder(6).returnSequences(true).build(), Normalization.of(Normalization.Kind.BATCH, 1e-2, false, true, null),
            GlobalPooling.of(Pooling.Kind.MAX, false, null), Normalization.of(Normalization.Kind.LAYER, 1e-5, true, false, null),
            Dense.of(2)), 5, 7, MaskKind.MIDDLE, false, s++));
    c.add(new Case("TimeDistributed(Dense(8, tanh)) -> LSTM(8, seq) -> Dense(1)", Sequential.of(seq(1),
        TimeDistributed.of(Dense.builder(8).activation(Activation.TANH).build()), LSTM.builder(8).returnSequences(true).build(), Dense.of(1)),
        3, 30, MaskKind.NONE, false, s++));
    c.add(new Case("Embedding(mask_zero) -> GRU(6) -> Dense(2, softsign)", Sequential.of(InputSpec.ids(-1),
        Embedding.of(20, 5, true), GRU.builder(6).build(), Dense.builder(2).activation(Activation.SOFTSIGN).build()), 7, 9, MaskKind.NONE, false, s++));
    c.add(new Case("LSTM(6) -> RepeatVector(3) -> SimpleRNN(4, seq) -> Flatten -> Dropout -> Activation(elu)", Sequential.of(seq(5),
        LSTM.of(6), RepeatVector.of(3), SimpleRNN.builder(4).returnSequences(true).build(), Flatten.of(), InferenceIdentity.of("Dropout"),
        ActivationLayer.of(Activation.ELU)), 4, 6, MaskKind.NONE, false, s++));
    return c;
  }

  /**
   * Every activation as the cell activation and as the recurrent activation (but crelu and glu,
   * which change the width, as Dense and Activation layers only). Exponential is not
   * an LSTM cell activation here: exp(c) of an accumulated cell state overflows float32 within a
   * few steps (as it does in Keras), where a float64 oracle does not.
   */
  static List<Case> activationCases() {
    List<Case> c = new ArrayList<>();
    long s = 500;
    for (Activation a : Activation.values()) {
      boolean cellActivation = a.outputWidth(2) == 2; // crelu and glu resize: no cell takes them
      if (a != Activation.EXPONENTIAL && cellActivation) {
        c.add(new Case("LSTM(5) activation " + a, Sequential.of(seq(4), LSTM.builder(5).activation(a).biasInitializer(BIAS)
            .returnSequences(true).returnState(true).build()), 4, 5, MaskKind.NONE, false, s++));
      }
      // log_softmax as GRU's update gate is negative: h' = z·h + (1 − z)·hh grows geometrically, and
      // float32 rounding with it (in Keras too), so it is no test of the activation
      if (cellActivation && a != Activation.LOG_SOFTMAX) {
        c.add(new Case("GRU(5) recurrent_activation " + a, Sequential.of(seq(4), GRU.builder(5).recurrentActivation(a).biasInitializer(BIAS)
            .returnSequences(true).returnState(true).build()), 4, 5, MaskKind.NONE, false, s++));
      }
      c.add(new Case("Dense(6) activation " + a + " on inputs in [-6, 6)", Sequential.of(InputSpec.of(8), Dense.builder(6).activation(a)
          .biasInitializer(BIAS).build()), 16, -1, MaskKind.NONE, false, s++));
      if (!a.elementwise()) {
        c.add(new Case("SimpleRNN(6, seq) -> TimeDistributed(Dense(4, " + a + ")) -> Activation(" + a + ")", Sequential.of(seq(3),
            SimpleRNN.builder(6).returnSequences(true).build(), TimeDistributed.of(Dense.builder(4).activation(a).build()),
            ActivationLayer.of(a)), 3, 5, MaskKind.NONE, false, s++));
      }
    }
    return c;
  }

  /**
   * The case's model with Keras' initial weights, except normalization statistics and scales and
   * PReLU slopes, drawn from [0.5, 1.5) (their initial values would make those layers almost the
   * identity).
   */
  static Model model(Case c) {
    Model init = Model.initialized(c.arch(), c.seed());
    List<Tensor> weights = new ArrayList<>(init.weights().values());
    List<org.rnn4j.layers.WeightSpec> specs = c.arch().weightSpecs();
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).name().matches(".*/(gamma|beta|moving_mean|moving_variance|alpha|mean|variance)")) {
        weights.set(i, RandomData.uniform(c.seed() * 31 + i, 0.5f, 1.5f, specs.get(i).shape()));
      }
    }
    return Model.of(c.arch(), weights);
  }

  static Call call(Case c) {
    Sequential arch = c.arch();
    Tensor x;
    if (arch.input().integerIds()) {
      SplittableRandom r = new SplittableRandom(c.seed());
      float[] ids = new float[c.batch() * c.steps()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = r.nextInt(20);
      }
      x = Tensor.wrap(new int[] {c.batch(), c.steps()}, ids);
    } else if (c.steps() < 0) {
      x = RandomData.uniform(c.seed(), -6, 6, c.batch(), arch.input().shape()[0]);
    } else {
      int[] in = arch.input().shape();
      int[] shape = new int[in.length + 1];
      shape[0] = c.batch();
      shape[1] = c.steps();
      System.arraycopy(in, 1, shape, 2, in.length - 1);
      x = RandomData.uniform(c.seed(), -1, 1, shape);
      if (arch.layer(0) instanceof Masking) {
        x = zeroMaskedSteps(x, RandomData.mask(c.seed() + 1, c.batch(), c.steps(), c.mask() == MaskKind.END ? 1.0 : 0.7));
      }
    }
    Call call = Call.of(x);
    if (c.mask() != MaskKind.NONE && !(arch.layer(0) instanceof Masking)) {
      call = call.withMask(RandomData.mask(c.seed() + 1, c.batch(), c.steps(), c.mask() == MaskKind.END ? 1.0 : 0.7));
    }
    if (c.initialState()) {
      List<Tensor> init = new ArrayList<>();
      int k = 0;
      for (int size : arch.stateSizes(arch.recurrentLayers().get(0))) {
        init.add(RandomData.uniform(c.seed() * 7 + k++, -1, 1, c.batch(), size));
      }
      call = call.withInitialState(init);
    }
    return call;
  }

  /** Sets every feature of the masked steps to 0, which a Masking(0) layer then masks. */
  private static Tensor zeroMaskedSteps(Tensor x, Mask m) {
    float[] d = x.toArray();
    int f = x.dim(2);
    for (int b = 0; b < m.batch(); b++) {
      for (int t = 0; t < m.steps(); t++) {
        if (!m.isValid(b, t)) {
          java.util.Arrays.fill(d, (b * m.steps() + t) * f, (b * m.steps() + t + 1) * f, 0f);
        }
      }
    }
    return Tensor.wrap(x.shape(), d);
  }

  /**
   * The relative tolerance of the activation cases: exp and its relatives amplify the float32
   * rounding of their argument by the argument's size (for |x| <= 12, to at most 12·2^-24 ≈ 7e-7).
   */
  static final double ACTIVATION_RTOL = 1e-6;

  static Stream<DynamicNode> tests(ContractContext ctx, List<Case> cases, String suite, double rtol) {
    return cases.stream().map(c -> dynamicTest(c.toString(), () -> {
      Model m = model(c);
      Call call = call(c);
      ctx.record(suite, Checks.assertResultsClose(c.toString(), Float64Oracle.run(m, call), ctx.run(m, call), Checks.ATOL, rtol));
    }));
  }

  static DynamicNode against(ContractContext ctx, Backend other, List<Case> cases, String suite, double rtol) {
    return dynamicContainer(suite, cases.stream().map(c -> dynamicTest(c.toString(), () -> {
      Model m = model(c);
      Call call = call(c);
      Result expected;
      try (PreparedModel p = other.prepare(m)) {
        expected = p.run(call);
      }
      ctx.record(suite, Checks.assertResultsClose(c.toString(), expected, ctx.run(m, call), Checks.ATOL, rtol));
    })));
  }

}

package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.Gradients;
import org.rnn4j.InvalidInputException;
import org.rnn4j.LayerStates;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.testing.FamilySuite.MaskKind;

/**
 * Gradients of small seeded models against central finite differences of the float64 oracle's
 * loss ({@link Float64Oracle} and {@link OracleLoss}, neither of which calls a backend): every
 * element of every weight, of the float input and of the given initial states, for each cell,
 * stacks, Bidirectional in every merge mode, masks in the middle and at the end, go_backwards,
 * initial states, Embedding, Masking, Dense, TimeDistributed, and every loss with and without
 * logits. And backend against the reference backend, and the refusals.
 */
final class GradientSuite {
  private GradientSuite() {}

  /** The tolerance against finite differences: float32 forward values make gradients good to about 1e-6. */
  static final double ATOL = 1e-5;
  static final double RTOL = 1e-5;

  /** One case: a model case of the family suite, and the loss of its first output. */
  record Case(FamilySuite.Case model, Loss loss) {
    @Override
    public String toString() {
      return model + ", " + loss;
    }
  }

  private static final org.rnn4j.initializers.RandomUniform NONZERO_BIAS = new org.rnn4j.initializers.RandomUniform(-0.5, 0.5);

  private static InputSpec seq(int f) {
    return InputSpec.sequence(f);
  }

  private static FamilySuite.Case m(String name, Sequential arch, int batch, int steps, MaskKind mask, boolean init, long seed) {
    return new FamilySuite.Case(name, arch, batch, steps, mask, init, seed);
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    long s = 900;
    c.add(new Case(m("LSTM(5) -> Dense(3, softmax)", Sequential.of(seq(4), LSTM.of(5), Dense.builder(3).activation(Activation.SOFTMAX).build()),
        3, 6, MaskKind.NONE, true, s++), Loss.of("categorical_crossentropy", false)));
    c.add(new Case(m("LSTM(4) -> Dense(3)", Sequential.of(seq(3), LSTM.of(4), Dense.of(3)), 3, 5, MaskKind.MIDDLE, true, s++),
        Loss.of("categorical_crossentropy", true)));
    c.add(new Case(m("GRU(5, seq) -> TimeDistributed(Dense(2))", Sequential.of(seq(3), GRU.builder(5).returnSequences(true).build(),
        TimeDistributed.of(Dense.of(2))), 3, 6, MaskKind.MIDDLE, true, s++), Loss.of("mse", false)));
    c.add(new Case(m("GRU(4, reset_after=False, go_backwards) -> Dense(2)", Sequential.of(seq(3),
        GRU.builder(4).resetAfter(false).goBackwards(true).build(), Dense.of(2)), 3, 6, MaskKind.END, true, s++),
        Loss.of("binary_crossentropy", true)));
    c.add(new Case(m("GRU(4, reset_after=False, seq) -> Dense(2, sigmoid)", Sequential.of(seq(3),
        GRU.builder(4).resetAfter(false).returnSequences(true).build(), Dense.builder(2).activation(Activation.SIGMOID).build()),
        2, 5, MaskKind.NONE, false, s++), Loss.of("binary_crossentropy", false)));
    c.add(new Case(m("SimpleRNN(5, seq, return_state)", Sequential.of(seq(3), SimpleRNN.builder(5).returnSequences(true).returnState(true).build()),
        3, 6, MaskKind.NONE, true, s++), Loss.of("mae", false)));
    c.add(new Case(m("stack LSTM(4)+GRU(3) go_backwards -> Dense(3)", Sequential.of(seq(3), RNN.builder(StackedRNNCells.of(LSTMCell.of(4),
        GRUCell.of(3))).goBackwards(true).build(), Dense.of(3)), 3, 6, MaskKind.MIDDLE, true, s++),
        Loss.of("sparse_categorical_crossentropy", true)));
    c.add(new Case(m("LSTM(4, seq, go_backwards, zero_output_for_mask) -> Dense(3, softmax)", Sequential.of(seq(3),
        LSTM.builder(4).goBackwards(true).zeroOutputForMask(true).returnSequences(true).build(),
        Dense.builder(3).activation(Activation.SOFTMAX).build()), 3, 6, MaskKind.MIDDLE, false, s++),
        Loss.of("sparse_categorical_crossentropy", false)));
    c.add(new Case(m("GRU(4, seq) -> TimeDistributed(Dense(3)) -> Activation(log_softmax)", Sequential.of(seq(3), GRU.builder(4).returnSequences(true).build(),
        TimeDistributed.of(Dense.of(3)), ActivationLayer.of(Activation.LOG_SOFTMAX)), 2, 5, MaskKind.END, false, s++),
        Loss.of("categorical_crossentropy", true)));
    for (MergeMode mode : MergeMode.values()) {
      c.add(new Case(m("Bidirectional(LSTM(3, seq), " + mode + ")", Sequential.of(seq(3),
          Bidirectional.of(LSTM.builder(3).returnSequences(true).build(), mode)), 2, 5, MaskKind.MIDDLE, true, s++), Loss.of("mse", false)));
    }
    c.add(new Case(m("Bidirectional(GRU(3)) -> Dense(2, sigmoid)", Sequential.of(seq(3), Bidirectional.of(GRU.of(3)),
        Dense.builder(2).activation(Activation.SIGMOID).build()), 3, 5, MaskKind.END, true, s++), Loss.of("binary_crossentropy", false)));
    c.add(new Case(m("Embedding(20, 4, mask_zero) -> LSTM(4) -> Dense(3, softmax)", Sequential.of(InputSpec.ids(-1),
        Embedding.of(20, 4, true), LSTM.of(4), Dense.builder(3).activation(Activation.SOFTMAX).build()), 3, 6, MaskKind.NONE, false, s++),
        Loss.of("sparse_categorical_crossentropy", false)));
    c.add(new Case(m("Masking(0) -> LSTM(4, seq) -> Dense(2, tanh)", Sequential.of(seq(3), Masking.of(0f), LSTM.builder(4).returnSequences(true).build(),
        Dense.builder(2).activation(Activation.TANH).build()), 3, 6, MaskKind.MIDDLE, false, s++), Loss.of("mse", false)));
    c.add(new Case(m("LSTM(3) -> RepeatVector(2) -> SimpleRNN(3, seq) -> Flatten -> Dense(3) -> Activation(softmax)", Sequential.of(seq(3),
        LSTM.of(3), RepeatVector.of(2), SimpleRNN.builder(3).returnSequences(true).build(), Flatten.of(), Dense.of(3),
        ActivationLayer.of(Activation.SOFTMAX)), 2, 4, MaskKind.NONE, false, s++), Loss.of("categorical_crossentropy", false)));
    c.add(new Case(m("SimpleRNN(4, relu... elu) -> Dense(2, selu)", Sequential.of(seq(3), SimpleRNN.builder(4).activation(Activation.ELU).build(),
        Dense.builder(2).activation(Activation.SELU).build()), 3, 5, MaskKind.NONE, true, s++), Loss.of("mse", false)));
    // the layers around recurrent ones
    c.add(new Case(m("Conv1D(4, 3, tanh) -> MaxPooling1D(2) -> LSTM(4) -> Dense(2)", Sequential.of(seq(2),
        Conv1D.builder(4, 3).activation(Activation.TANH).build(), org.rnn4j.layers.Pooling.of(org.rnn4j.layers.Pooling.Kind.MAX, 2, 2, false, null),
        LSTM.of(4), Dense.of(2)), 2, 9, MaskKind.NONE, false, s++), Loss.of("mse", false)));
    c.add(new Case(m("Conv1D(6, 3, same, strides 2, groups 2) -> AveragePooling1D(3, 2, same) -> GRU(3, seq) -> GlobalAveragePooling1D",
        Sequential.of(seq(4), Conv1D.builder(6, 3).padding(Conv1D.Padding.SAME).strides(2).groups(2).build(),
            org.rnn4j.layers.Pooling.of(org.rnn4j.layers.Pooling.Kind.AVERAGE, 3, 2, true, null), GRU.builder(3).returnSequences(true).build(),
            org.rnn4j.layers.GlobalPooling.of(org.rnn4j.layers.Pooling.Kind.AVERAGE, false, null)), 2, 10, MaskKind.NONE, false, s++),
        Loss.of("mse", false)));
    c.add(new Case(m("Conv1D(4, 2, causal, dilation 2) -> SimpleRNN(3, seq) -> GlobalMaxPooling1D -> Dense(2, softmax)", Sequential.of(seq(3),
        Conv1D.builder(4, 2).padding(Conv1D.Padding.CAUSAL).dilation(2).build(), SimpleRNN.builder(3).returnSequences(true).build(),
        org.rnn4j.layers.GlobalPooling.of(org.rnn4j.layers.Pooling.Kind.MAX, false, null), Dense.builder(2).activation(Activation.SOFTMAX).build()),
        2, 7, MaskKind.NONE, false, s++), Loss.of("categorical_crossentropy", false)));
    c.add(new Case(m("Masking(0) -> LSTM(4, seq) -> GlobalAveragePooling1D (masked mean)", Sequential.of(seq(3), Masking.of(0f),
        LSTM.builder(4).returnSequences(true).build(), org.rnn4j.layers.GlobalPooling.of(org.rnn4j.layers.Pooling.Kind.AVERAGE, false, null)),
        3, 6, MaskKind.MIDDLE, false, s++), Loss.of("mse", false)));
    c.add(new Case(m("LSTM(6, seq) -> LeakyReLU(0.1) -> Reshape((-1, 3)) -> ReLU(max 0.9, slope 0.2, threshold 0.05) -> GRU(3)",
        Sequential.of(seq(3), LSTM.builder(6).returnSequences(true).build(), org.rnn4j.layers.Rectifier.leakyRelu(0.1, null),
            org.rnn4j.layers.Rearrange.reshape(new int[] {-1, 3}, null), org.rnn4j.layers.Rectifier.relu(0.9, 0.2, 0.05, null), GRU.of(3)),
        2, 4, MaskKind.NONE, false, s++), Loss.of("mse", false)));
    c.add(new Case(m("(6, 3): Conv1D(4, 2, same) -> PReLU(shared time) -> ZeroPadding1D(1, 2) -> Cropping1D(2, 0) -> UpSampling1D(2) -> Permute(2, 1)"
        + " -> ELU(0.5) -> SimpleRNN(3)", Sequential.of(org.rnn4j.layers.InputSpec.of(6, 3), Conv1D.builder(4, 2).padding(Conv1D.Padding.SAME).build(),
            org.rnn4j.layers.Rectifier.prelu(new int[] {1}, org.rnn4j.initializers.Initializer.constant(0.3), null),
            org.rnn4j.layers.Rearrange.zeroPadding1d(1, 2, null), org.rnn4j.layers.Rearrange.cropping1d(2, 0, null),
            org.rnn4j.layers.Rearrange.upSampling1d(2, null), org.rnn4j.layers.Rearrange.permute(new int[] {2, 1}, null),
            org.rnn4j.layers.Rectifier.elu(0.5, null), SimpleRNN.of(3)), 2, 6, MaskKind.NONE, false, s++), Loss.of("mse", false)));
    c.add(new Case(m("LSTM(5, seq) -> LayerNormalization -> BatchNormalization -> GRU(3)", Sequential.of(seq(3),
        LSTM.builder(5).returnSequences(true).build(), org.rnn4j.layers.Normalization.of(org.rnn4j.layers.Normalization.Kind.LAYER, 1e-3, true, true, null),
        org.rnn4j.layers.Normalization.of(org.rnn4j.layers.Normalization.Kind.BATCH, 1e-3, true, true, null), GRU.of(3)), 2, 4, MaskKind.NONE,
        false, s++), Loss.of("mse", false)));
    c.add(new Case(m("Normalization (adapted) -> GRU(4, seq) -> Normalization(invert) -> Dense(2)", Sequential.of(seq(3),
        org.rnn4j.layers.Normalization.standardize(-1, null, null, false, null), GRU.builder(4).returnSequences(true).build(),
        org.rnn4j.layers.Normalization.standardize(-1, null, null, true, null), Dense.of(2)), 2, 4, MaskKind.NONE, false, s++),
        Loss.of("mse", false)));
    // every differentiable activation, as a cell activation, a recurrent activation and a Dense activation
    for (Activation a : Activation.values()) {
      if (!a.differentiable()) {
        continue;
      }
      if (a.outputWidth(2) != 2) {
        // crelu and glu resize the last axis: Dense and Activation layers only
        c.add(new Case(m("LSTM(4) -> Dense(4, " + a + ") -> Activation(" + a + ")", Sequential.of(seq(2), LSTM.of(4),
            Dense.builder(4).activation(a).biasInitializer(NONZERO_BIAS).build(), ActivationLayer.of(a)), 2, 4, MaskKind.NONE, false, s++),
            Loss.of("mse", false)));
        continue;
      }
      // exp of a carried state overflows float32 within a few steps (as in Keras): exponential as Dense activation only
      Activation cellActivation = a == Activation.EXPONENTIAL ? Activation.TANH : a;
      // non-zero biases: with Keras' zero biases a relu's input can sit exactly on its kink, where no
      // difference quotient is a derivative
      c.add(new Case(m("SimpleRNN(3, " + cellActivation + ") -> Dense(2, " + a + ")", Sequential.of(seq(2),
          SimpleRNN.builder(3).activation(cellActivation).biasInitializer(NONZERO_BIAS).build(),
          Dense.builder(2).activation(a).biasInitializer(NONZERO_BIAS).build()), 2, 4, MaskKind.NONE, false, s++),
          Loss.of("mse", false)));
      c.add(new Case(m("LSTM(3, recurrent_activation=" + a + ")", Sequential.of(seq(2), LSTM.builder(3).recurrentActivation(a).build()),
          2, 4, MaskKind.NONE, false, s++), Loss.of("mse", false)));
    }
    c.add(new Case(m("LSTM(3) over 40 steps", Sequential.of(seq(2), LSTM.of(3)), 2, 40, MaskKind.MIDDLE, true, s++), Loss.of("mse", false)));
    // new cases go last: each case's seed follows the ones before it
    c.add(new Case(m("SeparableConv1D(4, 3, same, depth_multiplier 2, tanh) -> LSTM(3, seq) -> SeparableConv1D(2, 2, causal, strides 1)",
        Sequential.of(seq(3), org.rnn4j.layers.SeparableConv1D.of(4, 2, Conv1D.builder(1, 3).padding(Conv1D.Padding.SAME).build(), Activation.TANH,
            true, null), LSTM.builder(3).returnSequences(true).build(),
            org.rnn4j.layers.SeparableConv1D.of(2, 1, Conv1D.builder(1, 2).padding(Conv1D.Padding.CAUSAL).build(), Activation.LINEAR, true, null)),
        2, 6, MaskKind.NONE, false, s++), Loss.of("mse", false)));
    // batches of more than 16 rows, not a multiple of 16, over 12 steps (a backend may sum a weight's
    // gradient over blocks of batch rows and chunks of steps)
    c.add(new Case(m("LSTM(3) -> Dense(2), a batch of 37", Sequential.of(seq(2), LSTM.of(3), Dense.of(2)), 37, 12, MaskKind.MIDDLE, true,
        s++), Loss.of("mse", false)));
    c.add(new Case(m("SimpleRNN(3, seq), a batch of 37", Sequential.of(seq(2), SimpleRNN.builder(3).returnSequences(true)
        .biasInitializer(NONZERO_BIAS).build()), 37, 12, MaskKind.NONE, false, s++), Loss.of("mse", false)));
    return c;
  }

  /** A functional model's case: the model, its call and the loss of its first output. */
  record GraphCase(String name, Model model, Call call, Loss loss, long seed) {
    @Override
    public String toString() {
      return name + ", " + loss;
    }
  }

  static List<GraphCase> graphCases() {
    List<GraphCase> c = new ArrayList<>();
    // two sequences, two recurrent branches, merged
    for (org.rnn4j.layers.Merge merge : List.of(org.rnn4j.layers.Merge.concatenate(-1, null), org.rnn4j.layers.Merge.of(
        org.rnn4j.layers.Merge.Kind.ADD, null), org.rnn4j.layers.Merge.of(org.rnn4j.layers.Merge.Kind.SUBTRACT, null),
        org.rnn4j.layers.Merge.of(org.rnn4j.layers.Merge.Kind.MULTIPLY, null), org.rnn4j.layers.Merge.of(org.rnn4j.layers.Merge.Kind.AVERAGE, null),
        org.rnn4j.layers.Merge.of(org.rnn4j.layers.Merge.Kind.MAXIMUM, null), org.rnn4j.layers.Merge.of(org.rnn4j.layers.Merge.Kind.MINIMUM, null))) {
      org.rnn4j.layers.Functional.Builder b = org.rnn4j.layers.Functional.builder();
      org.rnn4j.layers.Functional.Ref x = b.input("x", seq(3));
      org.rnn4j.layers.Functional.Ref y = b.input("y", seq(2));
      org.rnn4j.layers.Functional.Ref lstm = b.call(LSTM.builder(4).returnSequences(true).build(), x).get(0);
      org.rnn4j.layers.Functional.Ref gru = b.call(GRU.builder(4).returnSequences(true).build(), y).get(0);
      org.rnn4j.layers.Functional.Ref merged = b.call(merge, lstm, gru).get(0);
      org.rnn4j.layers.Functional.Ref out = b.call(Dense.of(2), merged).get(0);
      long seed = 950 + c.size();
      Call call = Call.of(List.of(RandomData.uniform(seed, -1, 1, 2, 5, 3), RandomData.uniform(seed + 1, -1, 1, 2, 5, 2)))
          .withMask(RandomData.mask(seed + 2, 2, 5, 0.7));
      c.add(new GraphCase("[LSTM(4, seq)(x), GRU(4, seq)(y)] -> " + merge.kerasClassName() + " -> Dense(2), x masked",
          Model.initialized(b.build("merged", out), seed), call, Loss.of("mse", false), seed));
    }
    // attention over two recurrent encoders: every score function, scales, causal, masked values and queries, scores used too
    for (org.rnn4j.layers.Attention att : List.of(
        org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.DOT, true, false, null),
        org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.CONCAT, true, true, null),
        org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.ADDITIVE, true, false, null),
        org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.ADDITIVE, false, false, null))) {
      org.rnn4j.layers.Functional.Builder b = org.rnn4j.layers.Functional.builder();
      org.rnn4j.layers.Functional.Ref x = b.input("x", InputSpec.of(5, 3));
      org.rnn4j.layers.Functional.Ref y = b.input("y", InputSpec.of(4, 3));
      org.rnn4j.layers.Functional.Ref query = b.call(LSTM.builder(4).returnSequences(true).build(), x).get(0);
      org.rnn4j.layers.Functional.Ref masked = b.call(Masking.of(0f), y).get(0);
      org.rnn4j.layers.Functional.Ref value = b.call(GRU.builder(4).returnSequences(true).build(), masked).get(0);
      List<org.rnn4j.layers.Functional.Ref> attended = b.call(att, List.of(query, value), java.util.Set.of(org.rnn4j.layers.Functional.RETURN_SCORES));
      org.rnn4j.layers.Functional.Ref scores = b.call(Flatten.of(), attended.get(1)).get(0);
      org.rnn4j.layers.Functional.Ref pooled = b.call(Flatten.of(), attended.get(0)).get(0);
      org.rnn4j.layers.Functional.Ref joined = b.call(org.rnn4j.layers.Merge.concatenate(-1, null), pooled, scores).get(0);
      org.rnn4j.layers.Functional.Ref out = b.call(Dense.of(2), joined).get(0);
      long seed = 980 + c.size();
      float[] yData = RandomData.uniform(seed + 1, -1, 1, 2, 4, 3).toArray();
      java.util.Arrays.fill(yData, 3 * 3, 4 * 3, 0f); // the first row's last step is masked
      Call call = Call.of(List.of(RandomData.uniform(seed, -1, 1, 2, 5, 3), Tensor.of(new int[] {2, 4, 3}, yData)));
      c.add(new GraphCase("[LSTM(4, seq)(x), GRU(4, seq)(Masking(y))] -> " + att + " (scores too) -> Dense(2)",
          Model.initialized(b.build("attention", out), seed), call, Loss.of("mse", false), seed));
    }
    // Dot: vectors and matrices (Luong-style attention scores), plain and normalized
    for (boolean normalize : new boolean[] {false, true}) {
      org.rnn4j.layers.Functional.Builder b = org.rnn4j.layers.Functional.builder();
      org.rnn4j.layers.Functional.Ref x = b.input("x", InputSpec.of(5, 3));
      org.rnn4j.layers.Functional.Ref encoded = b.call(LSTM.builder(4).returnSequences(true).build(), x).get(0);
      org.rnn4j.layers.Functional.Ref last = b.call(GRU.of(4), x).get(0);
      org.rnn4j.layers.Functional.Ref scores = b.call(org.rnn4j.layers.Merge.dot(2, normalize, null), encoded, encoded).get(0); // (5, 5)
      org.rnn4j.layers.Functional.Ref cosine = b.call(org.rnn4j.layers.Merge.dot(1, normalize, null), last, last).get(0); // (1,)
      org.rnn4j.layers.Functional.Ref flat = b.call(Flatten.of(), scores).get(0);
      org.rnn4j.layers.Functional.Ref joined = b.call(org.rnn4j.layers.Merge.concatenate(-1, null), flat, cosine).get(0);
      long seed = 990 + c.size();
      c.add(new GraphCase("LSTM(4, seq) Dot(axes 2, normalize=" + normalize + ") with itself, GRU(4) Dot(axes 1) with itself -> Dense(2)",
          Model.initialized(b.build("dots", b.call(Dense.of(2), joined).get(0)), seed),
          Call.of(List.of(RandomData.uniform(seed, -1, 1, 2, 5, 3))), Loss.of("mse", false), seed));
    }
    // MultiHeadAttention: self-attention with causal masking; cross-attention with a separate key and masks
    {
      org.rnn4j.layers.Functional.Builder b = org.rnn4j.layers.Functional.builder();
      org.rnn4j.layers.Functional.Ref x = b.input("x", InputSpec.of(4, 3));
      org.rnn4j.layers.Functional.Ref y = b.input("y", InputSpec.of(5, 3));
      org.rnn4j.layers.Functional.Ref queries = b.call(LSTM.builder(4).returnSequences(true).build(), x).get(0);
      List<org.rnn4j.layers.Functional.Ref> self = b.call(org.rnn4j.layers.MultiHeadAttention.of(2, 3), List.of(queries, queries),
          java.util.Set.of(org.rnn4j.layers.Functional.CAUSAL));
      org.rnn4j.layers.Functional.Ref memory = b.call(Masking.of(0f), y).get(0);
      org.rnn4j.layers.Functional.Ref keys = b.call(GRU.builder(3).returnSequences(true).build(), memory).get(0);
      org.rnn4j.layers.Functional.Ref crossed = b.call(org.rnn4j.layers.MultiHeadAttention.of(2, 2, 3, false, 6,
          org.rnn4j.initializers.Initializer.glorotUniform(), org.rnn4j.initializers.Initializer.zeros(), null),
          List.of(self.get(0), memory, keys), java.util.Set.of()).get(0);
      org.rnn4j.layers.Functional.Ref joined = b.call(Flatten.of(), crossed).get(0);
      float[] yData = RandomData.uniform(1001, -1, 1, 2, 5, 3).toArray();
      java.util.Arrays.fill(yData, 4 * 3, 5 * 3, 0f); // the first row's last step is masked
      Call call = Call.of(List.of(RandomData.uniform(1000, -1, 1, 2, 4, 3), Tensor.of(new int[] {2, 5, 3}, yData)));
      c.add(new GraphCase("MultiHeadAttention: causal self-attention, then cross-attention with a key and a masked memory",
          Model.initialized(b.build("mha", b.call(Dense.of(2), joined).get(0)), 1000), call, Loss.of("mse", false), 1000));
    }
    // models used as layers: a Sequential encoder shared by two inputs, a functional head
    {
      org.rnn4j.layers.NestedModel encoder = org.rnn4j.layers.NestedModel.of(Sequential.of("encoder", seq(3),
          List.of(LSTM.builder(4).returnSequences(true).build(), GRU.of(5))), null);
      org.rnn4j.layers.Functional.Builder h = org.rnn4j.layers.Functional.builder();
      org.rnn4j.layers.Functional.Ref a = h.input("a", InputSpec.of(5));
      org.rnn4j.layers.Functional.Ref bb = h.input("b", InputSpec.of(5));
      org.rnn4j.layers.Functional.Ref joined = h.call(org.rnn4j.layers.Merge.concatenate(-1, null), a, bb).get(0);
      org.rnn4j.layers.NestedModel head = org.rnn4j.layers.NestedModel.of(
          h.build("head", h.call(Dense.builder(2).activation(Activation.SOFTMAX).build(), joined).get(0)), null);
      org.rnn4j.layers.Functional.Builder f = org.rnn4j.layers.Functional.builder();
      org.rnn4j.layers.Functional.Ref x = f.input("x", seq(3));
      org.rnn4j.layers.Functional.Ref y = f.input("y", seq(3));
      org.rnn4j.layers.Functional.Ref ex = f.call(encoder, x).get(0);
      org.rnn4j.layers.Functional.Ref ey = f.call(encoder, y).get(0);
      Call call = Call.of(List.of(RandomData.uniform(970, -1, 1, 2, 4, 3), RandomData.uniform(971, -1, 1, 2, 4, 3)));
      c.add(new GraphCase("siamese: a Sequential encoder shared by two inputs, a functional head used as a layer",
          Model.initialized(f.build("siamese", f.call(head, ex, ey).get(0), ex), 970), call, Loss.of("categorical_crossentropy", false), 970));
    }
    // an encoder-decoder: the encoder's final states start the decoder; token ids with mask_zero
    org.rnn4j.layers.Functional.Builder b = org.rnn4j.layers.Functional.builder();
    org.rnn4j.layers.Functional.Ref source = b.input("source", InputSpec.ids(-1));
    org.rnn4j.layers.Functional.Ref target = b.input("target", InputSpec.ids(-1));
    org.rnn4j.layers.Functional.Ref src = b.call(Embedding.of(12, 4, true), source).get(0);
    List<org.rnn4j.layers.Functional.Ref> encoder = b.call(LSTM.builder(5).returnState(true).build(), src);
    org.rnn4j.layers.Functional.Ref tgt = b.call(Embedding.of(12, 4, true), target).get(0);
    org.rnn4j.layers.Functional.Ref decoded = b.call(LSTM.builder(5).returnSequences(true).build(), List.of(tgt), null,
        List.of(encoder.get(1), encoder.get(2))).get(0);
    org.rnn4j.layers.Functional.Ref probs = b.call(Dense.builder(12).activation(Activation.SOFTMAX).build(), decoded).get(0);
    Tensor sourceIds = Tensor.of(new float[][] {{3, 1, 4, 1, 5, 0}, {2, 7, 1, 8, 0, 0}});
    Tensor targetIds = Tensor.of(new float[][] {{1, 6, 1, 8}, {3, 3, 9, 0}});
    c.add(new GraphCase("seq2seq: Embedding(mask_zero) -> LSTM(5, state) => LSTM(5, seq, initial_state) -> Dense(12, softmax)",
        Model.initialized(b.build("seq2seq", probs, encoder.get(1)), 960), Call.of(List.of(sourceIds, targetIds)),
        Loss.of("sparse_categorical_crossentropy", false), 960));
    return c;
  }

  static Stream<DynamicNode> tests(ContractContext ctx) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (Case c : cases()) {
      nodes.add(dynamicTest(c.toString(), () -> {
        Model model = FamilySuite.model(c.model());
        Call call = FamilySuite.call(c.model());
        checkAgainstFiniteDifferences(ctx, c.toString(), model, call, target(c.loss(), model, call, c.model().seed()), c.loss());
      }));
    }
    for (GraphCase c : graphCases()) {
      nodes.add(dynamicTest(c.toString(), () ->
          checkAgainstFiniteDifferences(ctx, c.toString(), c.model(), c.call(), target(c.loss(), c.model(), c.call(), c.seed()), c.loss())));
    }
    nodes.add(dynamicTest("a layer that cannot be differentiated is refused by name before any work", () -> {
      Model model = Model.initialized(Sequential.of(seq(2), LSTM.of(3), Dense.builder(2).activation(Activation.HARD_SHRINK).build()), 1);
      try (PreparedModel p = ctx.backend().prepare(model)) {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
            () -> p.gradients(Call.of(RandomData.uniform(1, -1, 1, 2, 5, 2)), Tensor.zeros(2, 2), Loss.of("mse", false)));
        assertEquals("gradients: layer 1 ('dense', Dense) uses activation 'hard_shrink', whose value jumps: it has no derivative to take",
            e.getMessage());
      }
    }));
    nodes.add(dynamicTest("a target of the wrong shape or class ids out of range are refused", () -> {
      Model model = Model.initialized(Sequential.of(seq(2), LSTM.of(3)), 1);
      Call call = Call.of(RandomData.uniform(1, -1, 1, 2, 5, 2));
      try (PreparedModel p = ctx.backend().prepare(model)) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> p.gradients(call, Tensor.zeros(2, 4), Loss.of("mse", false)));
        assertEquals("target has shape (2, 4) but mean_squared_error on an output of shape (2, 3) expects (2, 3)", e.getMessage());
        e = assertThrows(InvalidInputException.class,
            () -> p.gradients(call, Tensor.of(0f, 3f), Loss.of("sparse_categorical_crossentropy", true)));
        assertEquals("target element 1 is 3.0 but sparse_categorical_crossentropy expects a class id in [0, 3)", e.getMessage());
      }
    }));
    return Stream.of(dynamicContainer("gradients vs float64 finite differences", nodes));
  }

  private static void checkAgainstFiniteDifferences(ContractContext ctx, String what, Model model, Call call, Tensor target, Loss loss) {
    Gradients actual;
    try (PreparedModel p = ctx.backend().prepare(model)) {
      actual = p.gradients(call, target, loss);
    }
    ctx.record("gradients vs float64 finite differences (atol " + ATOL + " + rtol " + RTOL + ")",
        assertGradientsClose(what, finiteDifferences(model, call, target, loss), actual, ATOL, RTOL));
  }

  /** The same cases on another backend (the reference one), within float32 tolerance. */
  static DynamicNode against(ContractContext ctx, Backend other) {
    List<GraphCase> all = new ArrayList<>();
    for (Case c : cases()) {
      all.add(new GraphCase(c.model().toString(), FamilySuite.model(c.model()), FamilySuite.call(c.model()), c.loss(), c.model().seed()));
    }
    all.addAll(graphCases());
    return dynamicContainer("gradients vs reference backend", all.stream().map(c -> dynamicTest(c.toString(), () -> {
      Tensor target = target(c.loss(), c.model(), c.call(), c.seed());
      Gradients expected;
      try (PreparedModel p = other.prepare(c.model())) {
        expected = p.gradients(c.call(), target, c.loss());
      }
      try (PreparedModel p = ctx.backend().prepare(c.model())) {
        // the gradient tolerance: sums over steps and rows make float32 errors grow with the gradient's size
        ctx.record("gradients vs reference backend (atol " + ATOL + " + rtol " + RTOL + ")",
            assertGradientsClose(c.toString(), expected, p.gradients(c.call(), target, c.loss()), ATOL, RTOL));
      }
    })));
  }

  /** A seeded target fitting the loss: values, probabilities, one-hot rows or class ids. */
  static Tensor target(Loss loss, Model model, Call call, long seed) {
    int[] shape = Float64Oracle.firstOutput(model, call).shape();
    SplittableRandom r = new SplittableRandom(seed * 13);
    int n = shape[shape.length - 1];
    int rows = org.rnn4j.Shapes.elementCount(shape) / n;
    return switch (loss.kind()) {
      case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR -> RandomData.uniform(seed * 13, -1, 1, shape);
      case BINARY_CROSSENTROPY -> RandomData.uniform(seed * 13, 0, 1, shape);
      case CATEGORICAL_CROSSENTROPY -> {
        float[] y = new float[rows * n];
        for (int i = 0; i < rows; i++) {
          y[i * n + r.nextInt(n)] = 1f;
        }
        yield Tensor.wrap(shape, y);
      }
      case SPARSE_CATEGORICAL_CROSSENTROPY -> {
        float[] ids = new float[rows];
        for (int i = 0; i < rows; i++) {
          ids[i] = r.nextInt(n);
        }
        yield Tensor.wrap(java.util.Arrays.copyOf(shape, shape.length - 1), ids);
      }
    };
  }

  /** Central differences of the oracle's float64 loss for every weight, float input and initial state element. */
  static Gradients finiteDifferences(Model model, Call call, Tensor target, Loss loss) {
    double value = loss(model, call, target, loss);
    List<Tensor> weights = model.weights().values();
    List<Tensor> dWeights = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      int index = i;
      dWeights.add(differentiate(weights.get(i), k -> false, t -> loss(withWeight(model, index, t), call, target, loss)));
    }
    // a Masking layer's mask is a step function of the input: its masked rows (all the mask value)
    // pass no gradient, and moving one of their elements would unmask the row
    List<Tensor> inputs = new ArrayList<>();
    for (int k = 0; k < call.inputs().size(); k++) {
      int index = k;
      Tensor in = call.inputs().get(k);
      Masking mk = maskingOf(model, k);
      java.util.function.IntPredicate masked = i -> {
        int f = in.dim(-1);
        for (int j = i / f * f; mk != null && j < (i / f + 1) * f; j++) {
          if (in.getFlat(j) != mk.maskValue()) {
            return false;
          }
        }
        return mk != null;
      };
      inputs.add(model.architecture().inputs().get(k).integerIds() ? null
          : differentiate(in, masked, t -> loss(model, withInput(call, index, t), target, loss)));
    }
    LayerStates dStates = LayerStates.empty();
    if (call.initialState() != null) {
      List<Tensor> init = call.initialState();
      List<Tensor> d = new ArrayList<>();
      for (int s = 0; s < init.size(); s++) {
        int index = s;
        d.add(differentiate(init.get(s), k -> false, t -> {
          List<Tensor> changed = new ArrayList<>(init);
          changed.set(index, t);
          return loss(model, call.withInitialState(changed), target, loss);
        }));
      }
      dStates = LayerStates.of(model.architecture().recurrentLayers().get(0), d);
    }
    return new Gradients((float) value, dWeights, inputs, dStates);
  }

  /**
   * Checks {@code actual} against central differences at {@code perTensor} seeded elements of each
   * weight and float input (models too large to differentiate element by element); returns the
   * largest difference.
   */
  static double assertSampledGradients(String what, Model model, Call call, Tensor target, Loss loss, Gradients actual, int perTensor,
      long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double worst = 0;
    List<Tensor> weights = model.weights().values();
    for (int i = 0; i <= weights.size(); i++) {
      boolean input = i == weights.size();
      if (input && model.architecture().input().integerIds()) {
        assertNull(actual.input(), what + ": no gradient for token ids");
        break;
      }
      Tensor at = input ? call.input() : weights.get(i);
      Tensor got = input ? actual.input() : actual.weight(i);
      int index = i;
      int tested = 0;
      for (int tries = 0; tested < perTensor && tries < 10 * perTensor; tries++) {
        int e = r.nextInt(at.size());
        java.util.function.ToDoubleFunction<Tensor> f = moved -> input
            ? loss(model, withInput(call, 0, moved), target, loss)
            : loss(withWeight(model, index, moved), call, target, loss);
        double expected = centralDifference(at, e, 1e-4, f);
        // a relu's kink within the step makes the quotient depend on the step: such an element is not a test
        if (Math.abs(expected - centralDifference(at, e, 2.5e-5, f)) > ATOL) {
          continue;
        }
        tested++;
        double diff = Math.abs(expected - got.getFlat(e));
        assertTrue(diff <= ATOL + RTOL * Math.abs(expected), what + ": d/d" + (input ? "input" : "weight " + i) + " element " + e
            + " is " + got.getFlat(e) + ", central differences give " + expected);
        worst = Math.max(worst, diff);
      }
      assertTrue(tested > 0, what + ": no element of " + (input ? "the input" : "weight " + i) + " away from a kink");
    }
    return worst;
  }

  /** The central difference quotient of {@code f} at element {@code e} of {@code at}, step {@code rel·max(1, |x|)} measured in float32. */
  private static double centralDifference(Tensor at, int e, double rel, java.util.function.ToDoubleFunction<Tensor> f) {
    float[] x = at.toArray();
    float v = x[e];
    double h = rel * Math.max(1, Math.abs(v));
    float up = (float) (v + h);
    float down = (float) (v - h);
    x[e] = up;
    double fUp = f.applyAsDouble(Tensor.of(at.shape(), x.clone()));
    x[e] = down;
    double fDown = f.applyAsDouble(Tensor.of(at.shape(), x.clone()));
    return (fUp - fDown) / ((double) up - down);
  }

  /** The Masking layer that input {@code k} goes into directly, or null. */
  private static Masking maskingOf(Model model, int k) {
    if (model.architecture() instanceof Sequential s) {
      return k == 0 && s.layer(0) instanceof Masking m ? m : null;
    }
    org.rnn4j.layers.Functional f = (org.rnn4j.layers.Functional) model.architecture();
    for (org.rnn4j.layers.Functional.Node node : f.nodes()) {
      if (f.layer(node.layer()) instanceof Masking m && node.inputs().get(0).node() == k) {
        return m;
      }
    }
    return null;
  }

  /** The model with weight {@code index} replaced. */
  private static Model withWeight(Model model, int index, Tensor weight) {
    List<Tensor> w = new ArrayList<>(model.weights().values());
    w.set(index, weight);
    return Model.of(model.architecture(), w);
  }

  private static Call withInput(Call call, int k, Tensor input) {
    List<Tensor> inputs = new ArrayList<>(call.inputs());
    inputs.set(k, input);
    Call c = Call.of(inputs);
    if (call.mask() != null) {
      c = c.withMask(call.mask());
    }
    return call.initialState() != null ? c.withInitialState(call.initialState()) : c;
  }

  private static double loss(Model model, Call call, Tensor target, Loss loss) {
    return OracleLoss.value(Float64Oracle.firstOutput(model, call), target, loss);
  }

  /**
   * Each element moved by ±h (as float32, the step actually taken is measured), the loss's central
   * difference quotient.
   */
  private static Tensor differentiate(Tensor at, java.util.function.IntPredicate zero, java.util.function.ToDoubleFunction<Tensor> f) {
    float[] d = new float[at.size()];
    for (int i = 0; i < d.length; i++) {
      if (zero.test(i)) {
        continue;
      }
      // small enough that a step rarely straddles a kink (relu, selu at 0), large enough for float32 steps
      d[i] = (float) centralDifference(at, i, 1e-4, f);
    }
    return Tensor.wrap(at.shape(), d);
  }

  /** Asserts every gradient close; returns the largest difference. */
  static double assertGradientsClose(String what, Gradients expected, Gradients actual, double atol, double rtol) {
    double worst = Math.abs(expected.loss() - actual.loss());
    assertTrue(worst <= atol + rtol * Math.abs(expected.loss()), what + ": loss " + actual.loss() + ", expected " + expected.loss());
    assertEquals(expected.weights().size(), actual.weights().size(), what + ": weight gradients");
    for (int i = 0; i < expected.weights().size(); i++) {
      worst = Math.max(worst, Checks.assertClose(what + " d/dweight " + i, expected.weight(i), actual.weight(i), atol, rtol).maxAbs());
    }
    for (int k = 0; k < expected.inputs().size(); k++) {
      if (expected.inputs().get(k) == null) {
        assertNull(actual.inputs().get(k), what + ": no gradient for input " + k + " of token ids");
      } else {
        worst = Math.max(worst, Checks.assertClose(what + " d/dinput " + k, expected.inputs().get(k), actual.inputs().get(k), atol, rtol).maxAbs());
      }
    }
    assertEquals(expected.initialStates().layers(), actual.initialStates().layers(), what + ": initial state gradients");
    for (int layer : expected.initialStates().layers()) {
      List<Tensor> e = expected.initialStates().get(layer);
      for (int s = 0; s < e.size(); s++) {
        worst = Math.max(worst, Checks.assertClose(what + " d/dinitial state " + s + " of layer " + layer, e.get(s),
            actual.initialStates().get(layer).get(s), atol, rtol).maxAbs());
      }
    }
    return worst;
  }
}

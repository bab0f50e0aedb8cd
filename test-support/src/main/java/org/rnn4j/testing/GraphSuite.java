package org.rnn4j.testing;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.initializers.RandomUniform;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.Operation;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.layers.TimeDistributed;

/**
 * Functional graphs against the float64 oracle (and, for other backends, the reference backend):
 * several inputs and outputs, shared layers, every merge, masks made by operation nodes and
 * merged along the graph, states handed from an encoder to a decoder, and states as outputs.
 */
final class GraphSuite {
  private GraphSuite() {}

  private static final RandomUniform BIAS = new RandomUniform(-0.5, 0.5);

  /** A graph case: the model and a call on it. */
  record Case(String name, Supplier<Functional> graph, long seed, int batch, int steps) {
    @Override
    public String toString() {
      return name + " B=" + batch + " T=" + steps;
    }
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("encoder: Embedding(mask_zero) + NotEqual mask node -> LSTM(return_state), outputs [h, c]", () -> {
      Functional.Builder b = Functional.builder();
      Functional.Ref ids = b.input("ids", InputSpec.ids(-1));
      Functional.Ref emb = b.call(Embedding.of(12, 5, true), ids).get(0);
      Functional.Ref mask = b.call(Operation.of(Operation.Kind.NOT_EQUAL, "NotEqual", Arrays.asList(null, 0f), null), ids).get(0);
      List<Functional.Ref> lstm = b.call(LSTM.builder(6).returnState(true).biasInitializer(BIAS).build(), List.of(emb), mask, List.of());
      return b.build("encoder", lstm.get(1), lstm.get(2));
    }, 1, 4, 7));
    c.add(new Case("encoder-decoder: encoder states -> decoder initial_state, TimeDistributed(Dense softmax)", () -> {
      Functional.Builder b = Functional.builder();
      Functional.Ref source = b.input("source", InputSpec.ids(-1));
      Functional.Ref target = b.input("target", InputSpec.ids(-1));
      Functional.Ref se = b.call(Embedding.of(10, 4, true), source).get(0);
      List<Functional.Ref> enc = b.call(LSTM.builder(5).returnState(true).biasInitializer(BIAS).build(), se);
      Functional.Ref te = b.call(Embedding.of(9, 3, true), target).get(0);
      List<Functional.Ref> dec = b.call(LSTM.builder(5).returnSequences(true).returnState(true).build(), List.of(te), null,
          List.of(enc.get(1), enc.get(2)));
      Functional.Ref probs = b.call(TimeDistributed.of(Dense.builder(9).activation(Activation.SOFTMAX).build()), dec.get(0)).get(0);
      return b.build("seq2seq", probs, dec.get(1));
    }, 2, 3, 6));
    c.add(new Case("two inputs, a shared Dense, every merge, Dot(normalize)", () -> {
      Functional.Builder b = Functional.builder();
      Functional.Ref x = b.input("x", InputSpec.sequence(3));
      Functional.Ref y = b.input("y", InputSpec.sequence(3));
      Dense shared = Dense.builder(4).activation(Activation.TANH).biasInitializer(BIAS).build();
      Functional.Ref dx = b.call(shared, x).get(0);
      Functional.Ref dy = b.call(shared, y).get(0);
      List<Functional.Ref> merged = new ArrayList<>();
      for (Merge.Kind k : List.of(Merge.Kind.ADD, Merge.Kind.SUBTRACT, Merge.Kind.MULTIPLY, Merge.Kind.AVERAGE, Merge.Kind.MAXIMUM, Merge.Kind.MINIMUM)) {
        merged.add(b.call(Merge.of(k, null), dx, dy).get(0));
      }
      Functional.Ref cat = b.call(Merge.concatenate(-1, null), merged.toArray(Functional.Ref[]::new)).get(0);
      Functional.Ref timeCat = b.call(Merge.concatenate(1, null), dx, dy).get(0);
      Functional.Ref hx = b.call(GRU.builder(5).biasInitializer(BIAS).build(), cat).get(0);
      Functional.Ref hy = b.call(SimpleRNN.builder(5).build(), timeCat).get(0);
      Functional.Ref cos = b.call(Merge.dot(-1, true, null), hx, hy).get(0);
      Functional.Ref dot = b.call(Merge.dot(1, false, null), hx, hy).get(0);
      return b.build("merges", cos, dot, hx);
    }, 3, 5, 6));
    c.add(new Case("Masking -> LSTM and GRU branches -> Concatenate (masks joined) -> LSTM -> GlobalAveragePooling1D", () -> {
      Functional.Builder b = Functional.builder();
      Functional.Ref x = b.input("x", InputSpec.sequence(3));
      Functional.Ref m = b.call(Masking.of(0f), x).get(0);
      Functional.Ref l = b.call(LSTM.builder(4).returnSequences(true).build(), m).get(0);
      Functional.Ref g = b.call(GRU.builder(3).returnSequences(true).build(), m).get(0);
      Functional.Ref cat = b.call(Merge.concatenate(-1, null), l, g).get(0);
      Functional.Ref seq = b.call(LSTM.builder(5).returnSequences(true).build(), cat).get(0);
      Functional.Ref pooled = b.call(GlobalPooling.of(Pooling.Kind.AVERAGE, false, null), seq).get(0);
      return b.build("masked-branches", pooled, seq);
    }, 4, 5, 8));
    c.add(new Case("Bidirectional(merge_mode=None, return_state) in a graph, its states as outputs, arithmetic on them", () -> {
      Functional.Builder b = Functional.builder();
      Functional.Ref x = b.input("x", InputSpec.sequence(2));
      List<Functional.Ref> bi = b.call(Bidirectional.of(LSTM.builder(3).returnSequences(true).returnState(true).build(), MergeMode.NONE), x);
      Functional.Ref scaled = b.call(Operation.of(Operation.Kind.MULTIPLY, "Multiply", Arrays.asList(null, 2f), "twice"), bi.get(2)).get(0);
      Functional.Ref diff = b.call(Operation.of(Operation.Kind.SUBTRACT, "Subtract", Arrays.asList(null, null), "diff"), scaled, bi.get(4)).get(0);
      Functional.Ref cast = b.call(Operation.of(Operation.Kind.CAST_INT, "Cast", Arrays.asList((Float) null), "cast"), diff).get(0);
      return b.build("bidirectional", bi.get(0), bi.get(1), diff, cast, bi.get(5));
    }, 5, 3, 4));
    c.add(new Case("Luong attention from Dot layers: scores Dot([2, 2]), softmax, context Dot([2, 1]), Concatenate, Dot(normalize) both ways",
        () -> {
          Functional.Builder b = Functional.builder();
          Functional.Ref src = b.input("source", InputSpec.sequence(3));
          Functional.Ref tgt = b.input("target", InputSpec.sequence(2));
          List<Functional.Ref> enc = b.call(LSTM.builder(4).returnSequences(true).returnState(true).build(), src);
          Functional.Ref dec = b.call(LSTM.builder(4).returnSequences(true).build(), List.of(tgt), null, List.of(enc.get(1), enc.get(2))).get(0);
          Functional.Ref scores = b.call(Merge.dot(2, 2, false, null), dec, enc.get(0)).get(0);
          Functional.Ref weights = b.call(org.rnn4j.layers.ActivationLayer.of(Activation.SOFTMAX), scores).get(0);
          Functional.Ref context = b.call(Merge.dot(2, 1, false, null), weights, enc.get(0)).get(0);
          Functional.Ref joined = b.call(Merge.concatenate(-1, null), context, dec).get(0);
          Functional.Ref out = b.call(TimeDistributed.of(Dense.builder(5).activation(Activation.TANH).build()), joined).get(0);
          Functional.Ref cosTime = b.call(Merge.dot(1, 1, true, null), dec, context).get(0);
          Functional.Ref cross = b.call(Merge.dot(1, 2, false, null), scores, weights).get(0);
          return b.build("attention", out, cosTime, cross);
        }, 8, 3, 5));
    c.add(new Case("Attention(use_scale) on masked query and value with scores returned; Attention(concat, causal); AdditiveAttention with a key",
        () -> {
          Functional.Builder b = Functional.builder();
          Functional.Ref src = b.input("source", InputSpec.ids(-1));
          Functional.Ref tgt = b.input("target", InputSpec.sequence(3));
          Functional.Ref values = b.call(GRU.builder(4).returnSequences(true).build(), b.call(Embedding.of(9, 3, true), src).get(0)).get(0);
          Functional.Ref queries = b.call(LSTM.builder(4).returnSequences(true).build(), b.call(Masking.of(0f), tgt).get(0)).get(0);
          List<Functional.Ref> dot = b.call(org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.DOT, true, false, null),
              List.of(queries, values), java.util.Set.of(Functional.RETURN_SCORES));
          Functional.Ref concat = b.call(org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.CONCAT, true, false, null),
              List.of(queries, queries), java.util.Set.of(Functional.CAUSAL)).get(0);
          Functional.Ref keys = b.call(Dense.of(4), values).get(0);
          Functional.Ref additive = b.call(org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.ADDITIVE, true, false, null),
              List.of(concat, values, keys), java.util.Set.of()).get(0);
          Functional.Ref summary = b.call(LSTM.of(3), additive).get(0);
          return b.build("attention-layers", dot.get(0), dot.get(1), concat, additive, summary);
        }, 9, 4, 6));
    c.add(new Case("MultiHeadAttention(2 heads): self-attention with masked query and causal mask, scores returned; cross-attention with a key",
        () -> {
          Functional.Builder b = Functional.builder();
          Functional.Ref src = b.input("source", InputSpec.ids(-1));
          Functional.Ref tgt = b.input("target", InputSpec.sequence(3));
          Functional.Ref memory = b.call(LSTM.builder(4).returnSequences(true).build(), b.call(Embedding.of(9, 3, true), src).get(0)).get(0);
          Functional.Ref queries = b.call(GRU.builder(4).returnSequences(true).build(), b.call(Masking.of(0f), tgt).get(0)).get(0);
          org.rnn4j.layers.MultiHeadAttention self = org.rnn4j.layers.MultiHeadAttention.of(2, 3);
          List<Functional.Ref> attended = b.call(self, List.of(queries, queries), java.util.Set.of(Functional.CAUSAL, Functional.RETURN_SCORES));
          Functional.Ref keys = b.call(Dense.of(5), memory).get(0);
          org.rnn4j.layers.MultiHeadAttention cross = org.rnn4j.layers.MultiHeadAttention.of(2, 2, 3, false, 6,
              org.rnn4j.initializers.Initializer.glorotUniform(), org.rnn4j.initializers.Initializer.zeros(), null);
          Functional.Ref crossed = b.call(cross, List.of(attended.get(0), memory, keys), java.util.Set.of()).get(0);
          return b.build("multi-head", attended.get(0), attended.get(1), crossed, b.call(LSTM.of(2), crossed).get(0));
        }, 10, 4, 5));
    c.add(new Case("MultiHeadAttention with an attention_mask from Greater(input, 0), on a masked query, causal; cross-attention with one",
        () -> {
          Functional.Builder b = Functional.builder();
          Functional.Ref tgt = b.input("target", InputSpec.sequence(3));
          Functional.Ref pairs = b.input("pairs", InputSpec.sequence(5)); // (query time, value time) at 5 steps
          Functional.Ref keep = b.call(Operation.of(Operation.Kind.GREATER, "Greater", Arrays.asList(null, 0f), "keep"), pairs).get(0);
          Functional.Ref queries = b.call(GRU.builder(4).returnSequences(true).build(), b.call(Masking.of(0f), tgt).get(0)).get(0);
          org.rnn4j.layers.MultiHeadAttention self = org.rnn4j.layers.MultiHeadAttention.of(2, 3);
          List<Functional.Ref> attended = b.call(self, List.of(queries, queries), keep, java.util.Set.of(Functional.CAUSAL, Functional.RETURN_SCORES));
          Functional.Ref memory = b.call(Dense.of(6), tgt).get(0);
          org.rnn4j.layers.MultiHeadAttention cross = org.rnn4j.layers.MultiHeadAttention.of(3, 2);
          Functional.Ref crossed = b.call(cross, List.of(attended.get(0), memory), keep, java.util.Set.of()).get(0);
          return b.build("attention-mask", attended.get(0), attended.get(1), crossed);
        }, 11, 3, 5));
    c.add(new Case("nested models: a Sequential encoder shared by two inputs, a functional head used as a layer", () -> {
      org.rnn4j.layers.NestedModel encoder = org.rnn4j.layers.NestedModel.of(org.rnn4j.layers.Sequential.of("encoder", InputSpec.sequence(3),
          List.of(LSTM.builder(4).returnSequences(true).build(), GRU.of(5))), null);
      Functional.Builder h = Functional.builder();
      Functional.Ref a = h.input("a", InputSpec.of(5));
      Functional.Ref bb = h.input("b", InputSpec.of(5));
      Functional.Ref joined = h.call(Merge.concatenate(-1, null), a, bb).get(0);
      org.rnn4j.layers.NestedModel head = org.rnn4j.layers.NestedModel.of(
          h.build("head", h.call(Dense.builder(2).activation(Activation.SOFTMAX).build(), joined).get(0)), null);
      Functional.Builder b = Functional.builder();
      Functional.Ref x = b.input("x", InputSpec.sequence(3));
      Functional.Ref y = b.input("y", InputSpec.sequence(3));
      Functional.Ref ex = b.call(encoder, x).get(0);
      Functional.Ref ey = b.call(encoder, y).get(0);
      return b.build("siamese", b.call(head, ex, ey).get(0), ex);
    }, 11, 3, 6));
    for (boolean keras2 : new boolean[] {false, true}) {
      c.add(new Case("masks merged as " + (keras2 ? "tf.keras 2 (intersection)" : "Keras 3 (union)")
          + ": Add and Concatenate of differently masked sequences, and Concatenate along time", () -> {
        Functional.Builder b = Functional.builder();
        Functional.Ref x = b.input("x", InputSpec.sequence(2));
        Functional.Ref y = b.input("y", InputSpec.sequence(2));
        Functional.Ref hx = b.call(LSTM.builder(3).returnSequences(true).build(), b.call(Masking.of(0f), x).get(0)).get(0);
        Functional.Ref hy = b.call(GRU.builder(3).returnSequences(true).build(), b.call(Masking.of(0f), y).get(0)).get(0);
        Functional.Ref plain = b.call(Dense.of(3), x).get(0); // unmasked: Dense passes x's (absent) mask
        Merge add = Merge.of(Merge.Kind.ADD, null);
        Merge cat = Merge.concatenate(-1, null);
        Merge time = Merge.concatenate(1, null);
        Merge withPlain = Merge.of(Merge.Kind.MULTIPLY, null);
        if (keras2) {
          add = add.withKeras2Masks();
          cat = cat.withKeras2Masks();
          time = time.withKeras2Masks();
          withPlain = withPlain.withKeras2Masks();
        }
        Functional.Ref sum = b.call(SimpleRNN.builder(4).returnSequences(true).build(), b.call(add, hx, hy).get(0)).get(0);
        Functional.Ref joined = b.call(LSTM.of(4), b.call(cat, hx, hy).get(0)).get(0);
        Functional.Ref long_ = b.call(GRU.of(4), b.call(time, hx, hy).get(0)).get(0);
        Functional.Ref mixed = b.call(SimpleRNN.of(4), b.call(withPlain, hx, plain).get(0)).get(0);
        return b.build("merged-masks", sum, joined, long_, mixed);
      }, 6 + (keras2 ? 1 : 0), 4, 6));
    }
    c.add(new Case("Attention with its own [query_mask, value_mask] from operations (replacing the inputs' masks), and [None, value_mask]",
        () -> {
          Functional.Builder b = Functional.builder();
          Functional.Ref ids = b.input("ids", InputSpec.ids(-1));
          Functional.Ref tgt = b.input("target", InputSpec.sequence(3));
          // the values carry Embedding's mask_zero mask, which the explicit masks replace
          Functional.Ref values = b.call(GRU.builder(4).returnSequences(true).build(), b.call(Embedding.of(9, 3, true), ids).get(0)).get(0);
          Functional.Ref queries = b.call(LSTM.builder(4).returnSequences(true).build(), tgt).get(0);
          Functional.Ref valueMask = b.call(Operation.of(Operation.Kind.GREATER, "Greater", Arrays.asList(null, 2f), "vm"), ids).get(0);
          Functional.Ref queryMask = b.call(Operation.of(Operation.Kind.NOT_EQUAL, "NotEqual", Arrays.asList(null, 4f), "qm"), ids).get(0);
          List<Functional.Ref> both = b.callWithMasks(org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.DOT, true, false, null),
              List.of(queries, values), Arrays.asList(queryMask, valueMask), java.util.Set.of(Functional.RETURN_SCORES));
          Functional.Ref valueOnly = b.callWithMasks(org.rnn4j.layers.Attention.of(org.rnn4j.layers.Attention.Kind.ADDITIVE, true, false, null),
              List.of(queries, values), Arrays.asList(null, valueMask), java.util.Set.of()).get(0);
          // the result keeps the explicit query mask, which the LSTM after it applies
          return b.build("explicit-masks", both.get(0), both.get(1), valueOnly, b.call(LSTM.of(2), both.get(0)).get(0));
        }, 12, 3, 6));
    return c;
  }

  /** The case's model with Keras' initial weights, attention scales drawn from [0.5, 1.5) (their initial 1 would hide them). */
  static Model model(Case c) {
    Functional graph = c.graph().get();
    Model init = Model.initialized(graph, c.seed());
    List<Tensor> weights = new ArrayList<>(init.weights().values());
    for (int i = 0; i < weights.size(); i++) {
      String name = graph.weightSpecs().get(i).name();
      if (name.endsWith("/scale") || name.endsWith("/concat_score_weight")) {
        weights.set(i, RandomData.uniform(c.seed() * 13 + i, 0.5f, 1.5f, graph.weightSpecs().get(i).shape()));
      }
    }
    return Model.of(graph, weights);
  }

  /** Inputs drawn per input: ids below the smallest vocabulary they reach (zeros included, so masks apply), else values in [-1, 1). */
  static Call call(Case c, Model m) {
    List<Tensor> inputs = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(c.seed());
    for (int k = 0; k < m.architecture().inputs().size(); k++) {
      InputSpec in = m.architecture().inputs().get(k);
      if (in.integerIds()) {
        float[] ids = new float[c.batch() * c.steps()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = r.nextInt(9);
        }
        ids[ids.length - 1] = 0; // a masked last step
        inputs.add(Tensor.wrap(new int[] {c.batch(), c.steps()}, ids));
      } else {
        Tensor x = RandomData.uniform(c.seed() * 10 + k, -1, 1, c.batch(), c.steps(), in.shape()[1]);
        float[] d = x.toArray();
        int step = 2 + k; // row 0 and row 1 each have a step of zeros (masked by Masking), another one per input
        java.util.Arrays.fill(d, step * in.shape()[1], (step + 1) * in.shape()[1], 0f);
        int row1 = (c.steps() + 4 - k) * in.shape()[1];
        java.util.Arrays.fill(d, row1, row1 + in.shape()[1], 0f);
        inputs.add(Tensor.wrap(x.shape(), d));
      }
    }
    return Call.of(inputs);
  }

  static Stream<DynamicNode> tests(ContractContext ctx) {
    return cases().stream().map(c -> dynamicTest(c.toString(), () -> {
      Model m = model(c);
      Call call = call(c, m);
      ctx.record("functional graphs vs float64", Checks.assertResultsClose(c.toString(), Float64Oracle.run(m, call), ctx.run(m, call), Checks.ATOL, 0));
    }));
  }

  static DynamicNode against(ContractContext ctx, Backend other) {
    return dynamicContainer("functional graphs vs reference backend", cases().stream().map(c -> dynamicTest(c.toString(), () -> {
      Model m = model(c);
      Call call = call(c, m);
      Result expected;
      try (PreparedModel p = other.prepare(m)) {
        expected = p.run(call);
      }
      ctx.record("functional graphs vs reference backend", Checks.assertResultsClose(c.toString(), expected, ctx.run(m, call), Checks.ATOL, 0));
    })));
  }
}

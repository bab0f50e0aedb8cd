package org.rnn4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.Weights;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Attention;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.SeparableConv1D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.MultiHeadAttention;
import org.rnn4j.layers.NestedModel;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Operation;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.TimeDistributed;

/**
 * Keras' layer semantics, written once over any backend's {@link Kernels}: which layer produces,
 * passes, merges or drops a mask, what a recurrent layer hands on, how Bidirectional splits its
 * initial state, flips its backward sequence and merges, and which final states each layer
 * reports. {@link #apply} is one layer call; a {@link Sequential} model is a chain of them and a
 * {@link Functional} model a graph.
 */
public final class ModelExecutor {
  private ModelExecutor() {}

  /**
   * A model run's outputs and every recurrent layer's final states by layer index, in Keras'
   * flattened order. For a Sequential model the outputs are the last layer's (one, or two for
   * Bidirectional with merge_mode=None; returned states are in the final states); for a
   * functional model, the model's outputs in Keras' order.
   */
  public record Outcome<V>(List<V> outputs, Map<Integer, List<V>> finalStates, List<V> outputMasks) {
    /** An outcome without output masks (what a backend hands back to core). */
    public Outcome(List<V> outputs, Map<Integer, List<V>> finalStates) {
      this(outputs, finalStates, null);
    }

    /** The mask output {@code i} carries (null if none): what Keras weights a loss of that output by. */
    public V outputMask(int i) {
      return outputMasks == null ? null : outputMasks.get(i);
    }
  }

  /** What one layer call hands on: its outputs (without states), their mask, and its final states (recurrent layers). */
  private record Applied<V>(List<V> outputs, V mask, List<V> states) {}

  /** The operations that join masks where a merge layer joins inputs. */
  private static final Operation MASK_AND = Operation.of(Operation.Kind.LOGICAL_AND, "mask", java.util.Arrays.asList(null, null), null);
  private static final Operation MASK_OR = Operation.of(Operation.Kind.LOGICAL_OR, "mask", java.util.Arrays.asList(null, null), null);

  /**
   * Each layer's weights keyed by the layer's name, in layer order: what {@link #run} takes, made
   * once per prepared model.
   */
  public static List<LayerWeights> layerWeights(Architecture architecture, Weights weights) {
    List<LayerWeights> out = new ArrayList<>();
    for (int i = 0; i < architecture.layers().size(); i++) {
      out.add(new LayerWeights(architecture.layerName(i), weights.forLayer(architecture, i)));
    }
    return List.copyOf(out);
  }

  /**
   * Runs {@code architecture} on {@code inputs} (one per model input).
   *
   * @param layerWeights every layer's weights, from {@link #layerWeights}
   * @param mask the explicit mask of the (first) input, or null
   * @param initialStates initial states by recurrent layer index; missing layers start at zero
   */
  public static <V> Outcome<V> run(
      Architecture architecture,
      List<LayerWeights> layerWeights,
      Kernels<V> k,
      List<V> inputs,
      V mask,
      Map<Integer, List<V>> initialStates) {
    return architecture instanceof Functional f
        ? graph(f, layerWeights, k, inputs, mask, initialStates)
        : chain((Sequential) architecture, layerWeights, k, inputs.get(0), mask, initialStates);
  }

  private static <V> Outcome<V> chain(
      Sequential architecture, List<LayerWeights> layerWeights, Kernels<V> k, V input, V mask, Map<Integer, List<V>> initialStates) {
    Map<Integer, List<V>> finals = new TreeMap<>();
    List<V> outputs = List.of(input);
    for (int i = 0; i < architecture.layers().size(); i++) {
      Applied<V> a = apply(architecture.layer(i), layerWeights.get(i), k, outputs.subList(0, 1), architecture.inputShape(i), mask,
          initialStates.get(i));
      if (a.states() != null) {
        finals.put(i, a.states());
      }
      outputs = a.outputs();
      mask = a.mask();
    }
    return new Outcome<>(outputs, finals, java.util.Collections.nCopies(outputs.size(), mask));
  }

  /** The tensor {@code r} refers to, or null for none. */
  private static <V> V valueOf(List<List<V>> values, Functional.Ref r) {
    return r == null ? null : values.get(r.node()).get(r.tensor());
  }

  private static <V> Outcome<V> graph(
      Functional f, List<LayerWeights> layerWeights, Kernels<V> k, List<V> inputs, V mask, Map<Integer, List<V>> initialStates) {
    List<List<V>> values = new ArrayList<>();
    List<List<V>> masks = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      values.add(List.of(inputs.get(i)));
      masks.add(java.util.Collections.singletonList(i == 0 ? mask : null));
    }
    Map<Integer, List<V>> finals = new TreeMap<>();
    for (Functional.Node node : f.nodes()) {
      Layer layer = f.layer(node.layer());
      List<V> ins = new ArrayList<>();
      for (Functional.Ref r : node.inputs()) {
        ins.add(values.get(r.node()).get(r.tensor()));
      }
      if (layer instanceof MultiHeadAttention mha) {
        // each input's mask reaches the layer (query_mask, value_mask, key_mask); the output keeps the query's
        List<V> inMasks = new ArrayList<>();
        node.inputs().forEach(r -> inMasks.add(masks.get(r.node()).get(r.tensor())));
        // and an attention_mask argument, if any, for (query step, value step) pairs
        V pairs = valueOf(values, node.mask());
        AttentionMasks<V> attentionMasks = new AttentionMasks<>(inMasks.get(0), inMasks.get(1),
            inMasks.size() > 2 ? inMasks.get(2) : null, pairs, node.flags().contains(Functional.CAUSAL));
        List<V> out = k.multiHeadAttention(mha, layerWeights.get(node.layer()), ins, attentionMasks);
        boolean scores = node.flags().contains(Functional.RETURN_SCORES);
        values.add(scores ? out : out.subList(0, 1));
        masks.add(scores ? java.util.Arrays.asList(inMasks.get(0), null) : java.util.Collections.singletonList(inMasks.get(0)));
        continue;
      }
      if (layer instanceof Attention att) {
        // the masks of [query, value] reach the layer as a list, unless the call gives its own
        // [query_mask, value_mask]; the result keeps the query's
        Functional.Ref q = node.inputs().get(0);
        Functional.Ref v = node.inputs().get(1);
        boolean explicit = !node.masks().isEmpty();
        V queryMask = explicit ? valueOf(values, node.masks().get(0)) : masks.get(q.node()).get(q.tensor());
        V valueMask = explicit ? valueOf(values, node.masks().get(1)) : masks.get(v.node()).get(v.tensor());
        List<V> out = k.attention(att, layerWeights.get(node.layer()), ins,
            new AttentionMasks<>(queryMask, valueMask, null, null, att.causal() || node.flags().contains(Functional.CAUSAL)));
        boolean scores = node.flags().contains(Functional.RETURN_SCORES);
        values.add(scores ? out : out.subList(0, 1));
        masks.add(scores ? java.util.Arrays.asList(queryMask, null) : java.util.Collections.singletonList(queryMask));
        continue;
      }
      V reaching;
      if (node.mask() != null) {
        reaching = values.get(node.mask().node()).get(node.mask().tensor());
      } else if (layer instanceof Merge merge) {
        List<V> inMasks = new ArrayList<>();
        node.inputs().forEach(r -> inMasks.add(masks.get(r.node()).get(r.tensor())));
        Functional.Ref first = node.inputs().get(0);
        reaching = mergeMask(merge, k, ins, inMasks, f.nodeShapes(first.node()).get(first.tensor()).length);
      } else {
        Functional.Ref first = node.inputs().get(0);
        reaching = node.implicitMask() ? masks.get(first.node()).get(first.tensor()) : null;
      }
      List<V> init = initialStates.get(node.layer());
      if (!node.initialState().isEmpty()) {
        init = new ArrayList<>();
        for (Functional.Ref r : node.initialState()) {
          init.add(values.get(r.node()).get(r.tensor()));
        }
      }
      Functional.Ref first = node.inputs().get(0);
      int[] inputShape = f.nodeShapes(first.node()).get(first.tensor());
      Applied<V> a = apply(layer, layerWeights.get(node.layer()), k, ins, inputShape, reaching, init);
      List<V> out = new ArrayList<>(a.outputs());
      List<V> outMasks = new ArrayList<>(java.util.Collections.nCopies(out.size(), a.mask()));
      if (a.states() != null) {
        finals.put(node.layer(), a.states());
        if (returnsState(layer)) {
          out.addAll(a.states());
          outMasks.addAll(java.util.Collections.nCopies(a.states().size(), null));
        }
      }
      values.add(out);
      masks.add(outMasks);
    }
    List<V> outputs = new ArrayList<>();
    List<V> outputMasks = new ArrayList<>();
    for (Functional.Ref r : f.outputs()) {
      outputs.add(values.get(r.node()).get(r.tensor()));
      outputMasks.add(masks.get(r.node()).get(r.tensor()));
    }
    return new Outcome<>(outputs, finals, outputMasks);
  }

  /**
   * The mask a merge layer's output carries. Joining along time concatenates the masks (an
   * unmasked input counts as all valid); otherwise Keras 3 takes the union (none if an input is
   * unmasked) and tf.keras 2 the intersection of the masks present.
   */
  private static <V> V mergeMask(Merge merge, Kernels<V> k, List<V> inputs, List<V> masks, int rank) {
    if (masks.stream().allMatch(java.util.Objects::isNull) || merge.kind() == Merge.Kind.DOT) {
      return null; // a product over an axis has no time axis left to mask
    }
    if (merge.kind() == Merge.Kind.CONCATENATE && rank >= 2 && merge.axis(rank) == 0) {
      List<V> full = new ArrayList<>();
      for (int i = 0; i < masks.size(); i++) {
        // NaN differs from every value: a mask of every step
        full.add(masks.get(i) != null ? masks.get(i) : k.maskFromValues(inputs.get(i), Float.NaN));
      }
      return k.combine(Merge.concatenate(1, null), full);
    }
    boolean union = !merge.keras2Masks();
    if (union && masks.stream().anyMatch(java.util.Objects::isNull)) {
      return null;
    }
    V joined = null;
    for (V m : masks) {
      joined = joined == null ? m : m == null ? joined : k.operation(union ? MASK_OR : MASK_AND, List.of(joined, m));
    }
    return joined;
  }

  private static boolean returnsState(Layer layer) {
    return (layer instanceof RNN r && r.returnState()) || (layer instanceof Bidirectional b && b.returnState());
  }

  /**
   * One call of {@code layer}.
   *
   * @param ins the inputs (one, or several for a merge or an operation)
   * @param inputShape the (first) input's shape without batch
   * @param mask the mask reaching the layer, or null
   * @param init the initial states of a recurrent layer, or null
   */
  private static <V> Applied<V> apply(
      Layer layer, LayerWeights w, Kernels<V> k, List<V> ins, int[] inputShape, V mask, List<V> init) {
    V x = ins.get(0);
    if (layer instanceof Masking m) {
      V made = k.maskFromValues(x, m.maskValue());
      // on (features,) or token ids the mask has no time axis: it zeroes whole rows, and no
      // layer after it can use it (an Embedding drops it, as in Keras)
      return new Applied<>(List.of(k.applyMask(x, made)), inputShape.length == 1 ? null : made, null);
    } else if (layer instanceof Embedding e) {
      return new Applied<>(List.of(k.embedding(e, w, x)), e.maskZero() ? k.maskFromIds(x) : null, null);
    } else if (layer instanceof RNN r) {
      RecurrentOutput<V> out = k.recurrent(new RecurrentCall<>(r, w, x, mask, init, r.returnSequences()));
      return new Applied<>(List.of(r.returnSequences() ? out.sequence() : out.last()), r.returnSequences() ? mask : null, out.states());
    } else if (layer instanceof Bidirectional b) {
      return bidirectional(b, w, k, x, inputShape, mask, init);
    } else if (layer instanceof Dense d) {
      return new Applied<>(List.of(dense(k, d, w, x)), mask, null);
    } else if (layer instanceof TimeDistributed t) {
      if (t.layer() instanceof Dense d) {
        return new Applied<>(List.of(dense(k, d, w, x)), mask, null); // a Dense acts on the last axis of any rank
      }
      // the steps as one batch through the inner layer; the mask over time stays
      Applied<V> inner = apply(t.layer(), w, k, List.of(k.foldTime(x)), t.stepShape(inputShape), null, null);
      return new Applied<>(List.of(k.unfoldTime(inner.outputs().get(0), x)), mask, null);
    } else if (layer instanceof ActivationLayer a) {
      return new Applied<>(List.of(k.activation(a.activation(), x)), mask, null);
    } else if (layer instanceof Flatten) {
      return new Applied<>(List.of(k.flatten(x)), null, null);
    } else if (layer instanceof RepeatVector rv) {
      return new Applied<>(List.of(k.repeat(x, rv.n())), null, null);
    } else if (layer instanceof Conv1D c) {
      return new Applied<>(List.of(k.conv1d(c, w, x)), null, null); // convolutions do not support masking
    } else if (layer instanceof SeparableConv1D s) {
      // the depthwise kernel (k, in, dm) is, element for element, the grouped convolution's (k, 1, in·dm)
      Conv1D depthwise = s.depthwise(inputShape[inputShape.length - 1]);
      V spread = k.conv1d(depthwise, new LayerWeights(w.key() + "/depthwise", List.of(w.get(0))), x);
      LayerWeights pointwise = new LayerWeights(w.key() + "/pointwise", w.values().subList(1, w.values().size()));
      return new Applied<>(List.of(k.conv1d(s.pointwise(), pointwise, spread)), null, null);
    } else if (layer instanceof Pooling p) {
      return new Applied<>(List.of(k.pool(p, x)), null, null);
    } else if (layer instanceof GlobalPooling gp) {
      return new Applied<>(List.of(k.globalPool(gp, x, gp.kind() == Pooling.Kind.AVERAGE ? mask : null)), null, null);
    } else if (layer instanceof Normalization n) {
      return new Applied<>(List.of(k.normalize(n, w, x)), mask, null);
    } else if (layer instanceof Merge m) {
      return new Applied<>(List.of(k.combine(m, ins)), mask, null);
    } else if (layer instanceof Operation o) {
      return new Applied<>(List.of(k.operation(o, ins)), null, null);
    } else if (layer instanceof Rectifier r) {
      return new Applied<>(List.of(k.rectify(r, w, x)), mask, null);
    } else if (layer instanceof Rearrange r) {
      return new Applied<>(List.of(k.rearrange(r, x)), null, null);
    } else if (layer instanceof NestedModel n) {
      // its own layers, their weights keyed under this layer's; its masks end at its outputs
      Architecture inner = n.model();
      List<LayerWeights> innerWeights = new ArrayList<>();
      for (int i = 0; i < inner.layers().size(); i++) {
        innerWeights.add(new LayerWeights(w.key() + "/" + inner.layerName(i),
            w.values().subList(inner.weightOffset(i), inner.weightOffset(i + 1))));
      }
      return new Applied<>(run(inner, innerWeights, k, ins, mask, Map.of()).outputs(), null, null);
    } else if (layer instanceof InferenceIdentity) {
      return new Applied<>(List.of(x), mask, null);
    }
    throw new IllegalStateException("no execution rule for layer " + layer.kerasClassName());
  }

  private static <V> Applied<V> bidirectional(
      Bidirectional b, LayerWeights w, Kernels<V> k, V x, int[] inputShape, V mask, List<V> init) {
    int forwardWeights = b.forwardLayer().cell().weightSpecs(inputShape[1]).size();
    int forwardStates = b.forwardLayer().cell().stateSizes().size();
    LayerWeights fw = new LayerWeights(w.key() + "/" + b.forwardLayer().name(), w.values().subList(0, forwardWeights));
    LayerWeights bw =
        new LayerWeights(w.key() + "/" + b.backwardLayer().name(), w.values().subList(forwardWeights, w.values().size()));
    boolean seq = b.returnSequences();
    RecurrentOutput<V> f =
        k.recurrent(new RecurrentCall<>(b.forwardLayer(), fw, x, mask, init == null ? null : init.subList(0, forwardStates), seq));
    RecurrentOutput<V> r =
        k.recurrent(
            new RecurrentCall<>(b.backwardLayer(), bw, x, mask, init == null ? null : init.subList(forwardStates, init.size()), seq));
    List<V> states = new ArrayList<>(f.states());
    states.addAll(r.states());
    V y = seq ? f.sequence() : f.last();
    V yRev = seq ? k.reverseTime(r.sequence()) : r.last();
    List<V> outputs = b.mergeMode() == MergeMode.NONE ? List.of(y, yRev) : List.of(k.merge(b.mergeMode(), y, yRev));
    return new Applied<>(outputs, seq ? mask : null, states);
  }

  /** A Dense layer; one whose activation changes the width runs linear, then the activation. */
  private static <V> V dense(Kernels<V> k, Dense d, LayerWeights w, V x) {
    if (d.activation().outputWidth(d.units()) != d.units()) {
      return k.activation(d.activation(), k.dense(d.linear(), w, x));
    }
    return k.dense(d, w, x);
  }
}

package org.rnn4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.Weights;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.TimeDistributed;

/**
 * Keras' layer semantics, written once over any backend's {@link Kernels}: which layer produces or
 * consumes a mask, what a recurrent layer hands to the next one, how Bidirectional splits its
 * initial state, flips its backward sequence and merges, and which final states each layer
 * reports.
 */
public final class ModelExecutor {
  private ModelExecutor() {}

  /**
   * A model run's outputs (one, or two for Bidirectional with merge_mode=None) and every recurrent
   * layer's final states by layer index, in Keras' flattened order.
   */
  public record Outcome<V>(List<V> outputs, Map<Integer, List<V>> finalStates) {}

  /**
   * Each layer's weights keyed by the layer's name, in layer order: what {@link #run} takes, made
   * once per prepared model.
   */
  public static List<LayerWeights> layerWeights(Sequential architecture, Weights weights) {
    List<LayerWeights> out = new ArrayList<>();
    for (int i = 0; i < architecture.layers().size(); i++) {
      out.add(new LayerWeights(architecture.layerName(i), weights.forLayer(architecture, i)));
    }
    return List.copyOf(out);
  }

  /**
   * Runs {@code architecture} on {@code input}.
   *
   * @param layerWeights every layer's weights, from {@link #layerWeights}
   * @param mask the explicit input mask, or null
   * @param initialStates initial states by recurrent layer index; missing layers start at zero
   */
  public static <V> Outcome<V> run(
      Sequential architecture,
      List<LayerWeights> layerWeights,
      Kernels<V> k,
      V input,
      V mask,
      Map<Integer, List<V>> initialStates) {
    V x = input;
    Map<Integer, List<V>> finals = new TreeMap<>();
    List<V> outputs = null;
    for (int i = 0; i < architecture.layers().size(); i++) {
      Layer layer = architecture.layer(i);
      LayerWeights w = layerWeights.get(i);
      List<V> init = initialStates.get(i);
      if (layer instanceof Masking m) {
        mask = k.maskFromValues(x, m.maskValue());
        x = k.applyMask(x, mask);
        if (architecture.inputShape(i).length == 1) {
          // on (features,) or token ids the mask has no time axis: it zeroes whole rows, and no
          // layer after it can use it (an Embedding drops it, as in Keras)
          mask = null;
        }
      } else if (layer instanceof Embedding e) {
        if (e.maskZero()) {
          mask = k.maskFromIds(x);
        }
        x = k.embedding(e, w, x);
      } else if (layer instanceof RNN r) {
        RecurrentOutput<V> out = k.recurrent(new RecurrentCall<>(r, w, x, mask, init, r.returnSequences()));
        finals.put(i, out.states());
        x = r.returnSequences() ? out.sequence() : out.last();
        mask = r.returnSequences() ? mask : null;
      } else if (layer instanceof Bidirectional b) {
        int forwardWeights = b.forwardLayer().cell().weightSpecs(architecture.inputShape(i)[1]).size();
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
        finals.put(i, states);
        V y = seq ? f.sequence() : f.last();
        V yRev = seq ? k.reverseTime(r.sequence()) : r.last();
        if (b.mergeMode() == MergeMode.NONE) {
          outputs = List.of(y, yRev);
        } else {
          x = k.merge(b.mergeMode(), y, yRev);
        }
        mask = seq ? mask : null;
      } else if (layer instanceof Dense d) {
        x = dense(k, d, w, x);
      } else if (layer instanceof TimeDistributed t) {
        x = dense(k, t.layer(), w, x);
      } else if (layer instanceof ActivationLayer a) {
        x = k.activation(a.activation(), x);
      } else if (layer instanceof Flatten) {
        x = k.flatten(x);
        mask = null;
      } else if (layer instanceof RepeatVector rv) {
        x = k.repeat(x, rv.n());
        mask = null;
      } else if (layer instanceof Conv1D c) {
        x = k.conv1d(c, w, x);
        mask = null; // convolutions do not support masking: the mask ends here, as in Keras
      } else if (layer instanceof Pooling p) {
        x = k.pool(p, x);
        mask = null;
      } else if (layer instanceof GlobalPooling gp) {
        x = k.globalPool(gp, x, gp.kind() == Pooling.Kind.AVERAGE ? mask : null);
        mask = null;
      } else if (layer instanceof Normalization n) {
        x = k.normalize(n, w, x); // the mask passes on
      } else if (!(layer instanceof InferenceIdentity)) {
        throw new IllegalStateException("no execution rule for layer " + layer.kerasClassName());
      }
    }
    return new Outcome<>(outputs != null ? outputs : List.of(x), finals);
  }

  /** A Dense layer; one whose activation changes the width runs linear, then the activation. */
  private static <V> V dense(Kernels<V> k, Dense d, LayerWeights w, V x) {
    if (d.activation().outputWidth(d.units()) != d.units()) {
      return k.activation(d.activation(), k.dense(d.linear(), w, x));
    }
    return k.dense(d, w, x);
  }
}

package org.rnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.LayerStates;
import org.rnn4j.Tensor;

/**
 * One key's carried recurrent states between micro-batches (Spark keeps it in its state store,
 * checkpointed with the query): per recurrent layer, its states as float arrays of one row.
 */
public final class KeyStates implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<Integer, List<float[]>> states = new TreeMap<>();

  static KeyStates of(LayerStates layerStates) {
    KeyStates k = new KeyStates();
    for (int layer : layerStates.layers()) {
      List<float[]> values = new ArrayList<>();
      layerStates.get(layer).forEach(t -> values.add(t.toArray()));
      k.states.put(layer, values);
    }
    return k;
  }

  LayerStates toLayerStates() {
    LayerStates out = LayerStates.empty();
    for (Map.Entry<Integer, List<float[]>> e : states.entrySet()) {
      List<Tensor> tensors = new ArrayList<>();
      e.getValue().forEach(v -> tensors.add(Tensor.of(new int[] {1, v.length}, v)));
      out = out.with(e.getKey(), tensors);
    }
    return out;
  }
}

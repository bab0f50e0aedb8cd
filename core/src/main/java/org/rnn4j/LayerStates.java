package org.rnn4j;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * States of a model's recurrent layers, keyed by layer index; each entry is the layer's states in
 * Keras' flattened order (LSTM: h, c; a stack: h1, c1, h2, c2; Bidirectional: forward states,
 * then backward states), each {@code (batch, size)}.
 */
public final class LayerStates {
  private static final LayerStates EMPTY = new LayerStates(Map.of());
  private final Map<Integer, List<Tensor>> states;

  private LayerStates(Map<Integer, List<Tensor>> states) {
    this.states = states;
  }

  public static LayerStates empty() {
    return EMPTY;
  }

  /** States for several layers at once, by layer index. */
  public static LayerStates of(Map<Integer, List<Tensor>> states) {
    if (states.isEmpty()) {
      return EMPTY;
    }
    TreeMap<Integer, List<Tensor>> copy = new TreeMap<>();
    states.forEach((layer, list) -> copy.put(layer, List.copyOf(list)));
    return new LayerStates(java.util.Collections.unmodifiableMap(copy));
  }

  /** States for one layer. */
  public static LayerStates of(int layerIndex, List<Tensor> states) {
    return empty().with(layerIndex, states);
  }

  /**
   * Splits states given in one flat list, recurrent layer after recurrent layer, each layer's in
   * Keras' flattened order (the form {@code np.savez(*states)} files hold).
   *
   * @throws InvalidInputException if the count does not match the model's recurrent layers
   */
  public static LayerStates split(org.rnn4j.layers.Architecture architecture, List<Tensor> flat) {
    List<Integer> layers = architecture.recurrentLayers();
    int needed = 0;
    StringBuilder layout = new StringBuilder();
    for (int layer : layers) {
      needed += architecture.stateSizes(layer).size();
      layout.append(layout.length() == 0 ? "" : "; ")
          .append(architecture.layerName(layer))
          .append(": ")
          .append(architecture.stateSizes(layer).size());
    }
    if (flat.size() != needed) {
      throw new InvalidInputException(
          "got " + flat.size() + " initial states, the model's recurrent layers need " + needed + " (" + layout + ")");
    }
    LayerStates out = empty();
    int pos = 0;
    for (int layer : layers) {
      int n = architecture.stateSizes(layer).size();
      out = out.with(layer, flat.subList(pos, pos + n));
      pos += n;
    }
    return out;
  }

  /** The states of every layer in one flat list, layer after layer (the inverse of {@link #split}). */
  public List<Tensor> flat() {
    List<Tensor> out = new java.util.ArrayList<>();
    states.values().forEach(out::addAll);
    return List.copyOf(out);
  }

  /** A copy with layer {@code layerIndex}'s states set. */
  public LayerStates with(int layerIndex, List<Tensor> layerStates) {
    TreeMap<Integer, List<Tensor>> copy = new TreeMap<>(states);
    copy.put(layerIndex, List.copyOf(layerStates));
    return new LayerStates(java.util.Collections.unmodifiableMap(copy));
  }

  /** The layer indices that have states. */
  public java.util.Set<Integer> layers() {
    return states.keySet();
  }

  /** Layer {@code layerIndex}'s states, or null. */
  public List<Tensor> get(int layerIndex) {
    return states.get(layerIndex);
  }

  public boolean isEmpty() {
    return states.isEmpty();
  }

  @Override
  public String toString() {
    return "LayerStates" + states.keySet();
  }
}

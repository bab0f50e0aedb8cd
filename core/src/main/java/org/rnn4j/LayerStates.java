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

  /** States for one layer. */
  public static LayerStates of(int layerIndex, List<Tensor> states) {
    return empty().with(layerIndex, states);
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

package org.rnn4j.layers;

import java.util.List;

/**
 * A model's layers and how they connect: a {@link Sequential} chain, or a {@link Functional}
 * graph. Layers are indexed in Keras' order, which is also the {@code get_weights()} order; a
 * layer called at several places of a graph appears once and owns its weights once.
 */
public sealed interface Architecture permits Sequential, Functional {
  String name();

  /** The model's inputs, in Keras' order. */
  List<InputSpec> inputs();

  /** The model's (first) input. */
  default InputSpec input() {
    return inputs().get(0);
  }

  /** The layers, each once, in Keras' order. */
  List<Layer> layers();

  default Layer layer(int index) {
    return layers().get(index);
  }

  /** The layer's name (given, or the Keras-style default). */
  String layerName(int index);

  /** The shape (without batch) that reaches layer {@code index} (at its first call in a graph). */
  int[] inputShape(int index);

  /** The shape (without batch) of layer {@code index}'s (first) output (at its first call). */
  int[] outputShape(int index);

  /** Every weight, in Keras {@code get_weights()} order, named {@code layer/...}. */
  List<WeightSpec> weightSpecs();

  /** The index of layer {@code index}'s first weight in {@link #weightSpecs()}. */
  int weightOffset(int index);

  /** The number of weights layer {@code index} owns. */
  default int weightCount(int index) {
    return weightOffset(index + 1) - weightOffset(index);
  }

  /** The number of weight values (scalars) of layer {@code index}. */
  default long parameterCount(int index) {
    return weightSpecs().subList(weightOffset(index), weightOffset(index + 1)).stream().mapToLong(WeightSpec::size).sum();
  }

  /** The total number of parameters (weight elements). */
  default long parameterCount() {
    return weightSpecs().stream().mapToLong(WeightSpec::size).sum();
  }

  /** Indices of the layers that carry recurrent state ({@link RNN} and {@link Bidirectional}). */
  List<Integer> recurrentLayers();

  /**
   * The state sizes of a recurrent layer in Keras' flattened order (Bidirectional: forward states,
   * then backward states).
   */
  default List<Integer> stateSizes(int index) {
    Layer l = layer(index);
    if (l instanceof RNN r) {
      return r.cell().stateSizes();
    }
    if (l instanceof Bidirectional b) {
      List<Integer> s = new java.util.ArrayList<>(b.forwardLayer().cell().stateSizes());
      s.addAll(b.backwardLayer().cell().stateSizes());
      return List.copyOf(s);
    }
    throw new IllegalArgumentException("layer " + index + " ('" + layerName(index) + "') is not recurrent");
  }

  /** Whether any recurrent layer is stateful. */
  default boolean isStateful() {
    return layers().stream()
        .anyMatch(l -> (l instanceof RNN r && r.stateful()) || (l instanceof Bidirectional b && b.stateful()));
  }

  /** The shapes (without batch) of what the model returns, in Keras' order: the list {@code model.predict} gives. */
  List<int[]> outputShapes();

  /** The shape (without batch) of the model's (first) output. */
  default int[] outputShape() {
    return outputShapes().get(0);
  }
}

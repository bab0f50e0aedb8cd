package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * A model architecture: an input and a linear stack of layers, as Keras {@code Sequential} (and
 * linear functional models). It checks every layer's input shape when built, names unnamed layers
 * as Keras would ({@code lstm}, {@code lstm_1}, ...), and lays out the weights in Keras {@code
 * get_weights()} order.
 *
 * <p>Only the last layer may return states ({@code return_state=True}), as in Keras, where a layer
 * with several outputs cannot feed the next one.
 */
public final class Sequential implements Architecture {
  private final String name;
  private final InputSpec input;
  private final List<Layer> layers;
  private final List<String> names;
  private final List<int[]> inputShapes;
  private final List<int[]> outputShapes;
  private final List<WeightSpec> weightSpecs;
  private final int[] weightOffsets;
  private final List<Integer> recurrentLayers;
  /** Each layer's position in the file it was read from (for messages), or null. */
  private final List<Integer> positions;

  private Sequential(String name, InputSpec input, List<Layer> layers, List<Integer> positions) {
    if (layers.isEmpty()) {
      throw new InvalidModelException("a model needs at least one layer");
    }
    this.name = name == null ? "sequential" : name;
    this.input = Objects.requireNonNull(input, "input");
    this.layers = List.copyOf(layers);
    this.positions = positions == null ? null : List.copyOf(positions);
    if (positions != null && positions.size() != layers.size()) {
      throw new IllegalArgumentException(positions.size() + " positions for " + layers.size() + " layers");
    }
    this.names = layerNames(this.layers, Set.of());
    List<int[]> ins = new ArrayList<>();
    List<int[]> outs = new ArrayList<>();
    List<WeightSpec> specs = new ArrayList<>();
    this.weightOffsets = new int[layers.size() + 1];
    int[] shape = input.shape();
    for (int i = 0; i < this.layers.size(); i++) {
      Layer layer = this.layers.get(i);
      checkPlacement(i, layer);
      ins.add(shape);
      try {
        shape = layer.outputShape(shape);
        for (WeightSpec w : layer.weightSpecs(ins.get(i))) {
          specs.add(w.prefixed(names.get(i)));
        }
      } catch (InvalidModelException e) {
        String inner = e.getMessage();
        String own = LayerShapes.describe(layer);
        if (inner.startsWith(own)) {
          inner = inner.substring(own.length()).replaceFirst("^:? *", ""); // the layer is named once
        }
        throw new InvalidModelException(describe(i) + ": " + inner, e);
      }
      outs.add(shape);
      weightOffsets[i + 1] = specs.size();
    }
    this.inputShapes = List.copyOf(ins);
    this.outputShapes = List.copyOf(outs);
    this.weightSpecs = List.copyOf(specs);
    List<Integer> recurrent = new ArrayList<>();
    for (int i = 0; i < this.layers.size(); i++) {
      if (this.layers.get(i) instanceof RNN || this.layers.get(i) instanceof Bidirectional) {
        recurrent.add(i);
      }
    }
    this.recurrentLayers = List.copyOf(recurrent);
  }

  private void checkPlacement(int i, Layer layer) {
    boolean last = i == layers.size() - 1;
    if (!last && returnsState(layer)) {
      throw new InvalidModelException(
          describe(i) + " returns states but is not the last layer;"
              + " only a model's last layer may set return_state");
    }
    if (layer instanceof Bidirectional b && b.mergeMode() == MergeMode.NONE && !last) {
      throw new InvalidModelException(
          describe(i) + " has merge_mode=None (two outputs) but is not the last layer");
    }
    // integer ids reach an Embedding unchanged through Masking and the inference identities only
    boolean idsHere = input.integerIds();
    for (int j = 0; j < i && idsHere; j++) {
      idsHere = layers.get(j) instanceof Masking || layers.get(j) instanceof InferenceIdentity;
    }
    if (layer instanceof Embedding) {
      if (!idsHere) {
        throw new InvalidModelException(
            describe(i) + ": an Embedding takes integer ids: the model's input, through Masking and dropout-like layers only");
      }
    } else if (idsHere && !(layer instanceof Masking || layer instanceof InferenceIdentity)) {
      throw new InvalidModelException(describe(i) + ": an integer-id input must reach an Embedding layer first");
    }
  }

  /** "layer N ('name')": N is the position in the source file when the model was read from one. */
  private String describe(int i) {
    return "layer " + (positions == null ? i : positions.get(i)) + " (" + layers.get(i).kerasClassName() + " '" + names.get(i) + "')";
  }

  private static boolean returnsState(Layer layer) {
    return (layer instanceof RNN r && r.returnState())
        || (layer instanceof Bidirectional b && b.returnState());
  }

  /** Each layer's name: its own, or Keras' default (lstm, lstm_1, ...) avoiding the given and {@code reserved} ones. */
  static List<String> layerNames(List<Layer> layers, Set<String> reserved) {
    Set<String> given = new HashSet<>(reserved);
    for (Layer l : layers) {
      if (l.name() != null && !given.add(l.name())) {
        throw new InvalidModelException("two layers are named '" + l.name() + "'");
      }
    }
    Map<String, Integer> counters = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (Layer l : layers) {
      if (l.name() != null) {
        names.add(l.name());
        continue;
      }
      String base = l.defaultName();
      String candidate;
      do {
        int n = counters.merge(base, 1, Integer::sum) - 1;
        candidate = n == 0 ? base : base + "_" + n;
      } while (given.contains(candidate));
      given.add(candidate);
      names.add(candidate);
    }
    return List.copyOf(names);
  }

  /** A model of the given layers on the given input. */
  public static Sequential of(InputSpec input, Layer... layers) {
    return new Sequential(null, input, List.of(layers), null);
  }

  /** A named model of the given layers on the given input. */
  public static Sequential of(String name, InputSpec input, List<? extends Layer> layers) {
    return new Sequential(name, input, new ArrayList<>(layers), null);
  }

  /**
   * A named model read from a file: {@code positions} gives each layer's position among the
   * file's layers, which messages name.
   */
  public static Sequential of(String name, InputSpec input, List<? extends Layer> layers, List<Integer> positions) {
    return new Sequential(name, input, new ArrayList<>(layers), positions);
  }

  public String name() {
    return name;
  }

  @Override
  public InputSpec input() {
    return input;
  }

  @Override
  public List<InputSpec> inputs() {
    return List.of(input);
  }

  /**
   * What the model returns, in Keras' order: the last layer's output (two for a Bidirectional
   * layer with merge_mode=None), then its states when it returns them.
   */
  @Override
  public List<int[]> outputShapes() {
    Layer last = layers.get(layers.size() - 1);
    List<int[]> out = new ArrayList<>();
    int[] shape = outputShape();
    out.add(shape);
    if (last instanceof Bidirectional b && b.mergeMode() == MergeMode.NONE) {
      out.add(shape.clone());
    }
    if (returnsState()) {
      for (int size : stateSizes(layers.size() - 1)) {
        out.add(new int[] {size});
      }
    }
    return List.copyOf(out);
  }

  public List<Layer> layers() {
    return layers;
  }

  @Override
  public Layer layer(int index) {
    return layers.get(index);
  }

  /** The layer's name (given, or the Keras-style default). */
  public String layerName(int index) {
    return names.get(index);
  }

  /** The shape (without batch) that reaches layer {@code index}. */
  public int[] inputShape(int index) {
    return inputShapes.get(index).clone();
  }

  /** The shape (without batch) of layer {@code index}'s (first) output. */
  public int[] outputShape(int index) {
    return outputShapes.get(index).clone();
  }

  /** The model's (first) output shape, without batch. */
  @Override
  public int[] outputShape() {
    return outputShape(layers.size() - 1);
  }

  /** Every weight, in Keras {@code get_weights()} order, named {@code layer/...}. */
  public List<WeightSpec> weightSpecs() {
    return weightSpecs;
  }

  /** The index of layer {@code index}'s first weight in {@link #weightSpecs()}. */
  public int weightOffset(int index) {
    return weightOffsets[index];
  }




  /** Indices of the layers that carry recurrent state ({@link RNN} and {@link Bidirectional}). */
  public List<Integer> recurrentLayers() {
    return recurrentLayers;
  }

  /** Whether the last layer returns its states. */
  public boolean returnsState() {
    return returnsState(layers.get(layers.size() - 1));
  }


  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Sequential '" + name + "' input " + input);
    for (int i = 0; i < layers.size(); i++) {
      sb.append("\n  ")
          .append(names.get(i))
          .append(": ")
          .append(layers.get(i))
          .append(" -> ")
          .append(Shapes.format(outputShapes.get(i)));
    }
    return sb.toString();
  }
}

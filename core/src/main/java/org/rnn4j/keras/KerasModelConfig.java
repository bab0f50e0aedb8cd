package org.rnn4j.keras;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.TimeDistributed;

/**
 * A Keras model configuration as read from JSON: its layers, the input it declares (if any) and
 * the Keras version that wrote it.
 *
 * @param name the model's name
 * @param layers the layers, input layers excluded
 * @param positions each layer's position among the config's layers (for messages)
 * @param graph the functional graph, or null for a chain of layers
 * @param input the declared input, or null when the config declares none (a bare layer config)
 * @param version the Keras version that wrote it
 * @param source where it was read from, for messages
 * @param training what the config says about training (frozen layers, dropout, regularizers)
 */
public record KerasModelConfig(
    String name, List<Layer> layers, List<Integer> positions, InputSpec input, Functional graph, KerasVersion version, String source,
    org.rnn4j.training.TrainingSettings training) {

  /** A chain of layers (Sequential, or a config of one layer). */
  static KerasModelConfig chain(String name, List<Layer> layers, List<Integer> positions, InputSpec input, KerasVersion version, String source,
      org.rnn4j.training.TrainingSettings training) {
    return new KerasModelConfig(name, layers, positions, input, null, version, source, training);
  }

  /** A functional model's graph. */
  static KerasModelConfig of(Functional graph, List<Integer> positions, KerasVersion version, String source,
      org.rnn4j.training.TrainingSettings training) {
    return new KerasModelConfig(graph.name(), graph.layers(), positions, graph.input(), graph, version, source, training);
  }

  /**
   * The architecture; the config must declare its input.
   *
   * @throws InvalidModelException if it declares none
   */
  public Architecture architecture() {
    if (graph != null) {
      return graph;
    }
    if (input == null) {
      throw new InvalidModelException(
          source + ": the config declares no input shape (no InputLayer or batch_input_shape); give the weights to infer it");
    }
    return build(input);
  }

  /** The architecture on {@code in}, its errors prefixed with the source. */
  private Sequential build(InputSpec in) {
    try {
      return Sequential.of(name, in, layers, positions);
    } catch (InvalidModelException e) {
      throw e.getMessage().startsWith(source) ? e : new InvalidModelException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The architecture, with the input's feature size taken from the first kernel in {@code weights}
   * when the config declares no input (as for a single serialized layer).
   */
  public Architecture architecture(List<Tensor> weights) {
    if (input != null || graph != null) {
      return architecture();
    }
    if (weights.isEmpty() || weights.get(0).rank() != 2) {
      throw new InvalidModelException(
          source + ": the config declares no input shape and the first weight is not a kernel to infer it from");
    }
    int features = weights.get(0).dim(0);
    Layer first = layers.stream().filter(l -> !l.weightSpecs(new int[] {-1, features}).isEmpty()).findFirst().orElse(layers.get(0));
    InputSpec inferred;
    if (layers.get(0) instanceof Embedding) {
      inferred = InputSpec.ids(-1);
    } else if (first instanceof RNN || first instanceof Bidirectional || first instanceof TimeDistributed || !(first instanceof Dense)) {
      inferred = InputSpec.sequence(features);
    } else {
      inferred = InputSpec.of(features);
    }
    return build(inferred);
  }
}

package org.rnn4j;

import java.util.List;
import java.util.Objects;
import org.rnn4j.layers.Architecture;
import org.rnn4j.training.TrainingSettings;

/**
 * A model ready to prepare on a backend: an architecture and its weights, plus where it came from
 * (for messages and reports).
 *
 * <pre>{@code
 * Sequential arch = Sequential.of(InputSpec.sequence(6), LSTM.of(4));
 * Model model = Model.initialized(arch, 42);          // Keras' default initializers, seeded
 * Model loaded = Model.of(arch, List.of(kernel, recurrentKernel, bias));
 * }</pre>
 */
public final class Model {
  private final Architecture architecture;
  private final Weights weights;
  private final String source;
  private final TrainingSettings training;

  private Model(Architecture architecture, Weights weights, String source) {
    this(architecture, weights, source, TrainingSettings.none());
  }

  private Model(Architecture architecture, Weights weights, String source, TrainingSettings training) {
    this.architecture = Objects.requireNonNull(architecture);
    this.weights = Objects.requireNonNull(weights);
    this.source = source;
    this.training = Objects.requireNonNull(training);
  }

  /** A model with the given weights, checked against the architecture. */
  public static Model of(Architecture architecture, Weights weights) {
    if (!weights.specs().equals(architecture.weightSpecs())) {
      return of(architecture, weights.values());
    }
    return new Model(architecture, weights, null);
  }

  /** A model with the given weights in {@code get_weights()} order, checked against the architecture. */
  public static Model of(Architecture architecture, List<Tensor> weights) {
    return new Model(architecture, Weights.of(architecture, weights), null);
  }

  /** A model with weights drawn from Keras' initializers with the given seed. */
  public static Model initialized(Architecture architecture, long seed) {
    return new Model(architecture, Weights.initialize(architecture, seed), "initialized with seed " + seed);
  }

  /** The same model, described as coming from {@code source} (a file name, typically). */
  public Model withSource(String source) {
    return new Model(architecture, weights, source, training);
  }

  /** The same model with what its Keras config says about training (frozen layers, dropout, regularizers). */
  public Model withTrainingSettings(TrainingSettings settings) {
    return new Model(architecture, weights, source, settings);
  }

  /** The same architecture and settings with other weights (a trained model's). */
  public Model withWeights(Weights newWeights) {
    return new Model(architecture, Weights.of(architecture, newWeights.values()), source, training);
  }

  /**
   * Checks a call against the model before any backend sees it: the inputs' count and shapes, ids
   * within the Embedding's range, the mask and initial states, the memory the call needs.
   *
   * @throws InvalidInputException naming the input, mask or state that does not fit
   * @throws ResourceLimitException if the call would need more memory than the limits allow
   */
  public void check(Call call) {
    org.rnn4j.spi.CallChecker.check(architecture, call);
  }

  public Architecture architecture() {
    return architecture;
  }

  public Weights weights() {
    return weights;
  }

  /** What the Keras config said about training; none for a model built in Java. */
  public TrainingSettings trainingSettings() {
    return training;
  }

  /** Where the model came from, or null. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return architecture + (source == null ? "" : "\n  from " + source);
  }
}

package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.RandomUniform;

/**
 * Keras {@code Embedding(input_dim, output_dim, mask_zero)}: maps integer ids {@code (time,)} to
 * vectors {@code (time, output_dim)}. With {@code mask_zero}, id 0 marks a padded step and the
 * mask reaches the following recurrent layer. Weight: {@code embeddings (input_dim, output_dim)}.
 */
public final class Embedding implements Layer {
  private final int inputDim;
  private final int outputDim;
  private final boolean maskZero;
  private final Initializer embeddingsInitializer;
  private final String name;

  private Embedding(int inputDim, int outputDim, boolean maskZero, Initializer init, String name) {
    if (inputDim <= 0 || outputDim <= 0) {
      throw new InvalidModelException(
          "Embedding: input_dim and output_dim must be positive, got " + inputDim + ", " + outputDim);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.maskZero = maskZero;
    this.embeddingsInitializer = init;
    this.name = name;
  }

  /** Keras' defaults: embeddings uniform in [-0.05, 0.05). */
  public static Embedding of(int inputDim, int outputDim, boolean maskZero) {
    return of(inputDim, outputDim, maskZero, new RandomUniform(-0.05, 0.05), null);
  }

  public static Embedding of(
      int inputDim, int outputDim, boolean maskZero, Initializer initializer, String name) {
    return new Embedding(inputDim, outputDim, maskZero, initializer, name);
  }

  public int inputDim() {
    return inputDim;
  }

  public int outputDim() {
    return outputDim;
  }

  public boolean maskZero() {
    return maskZero;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "Embedding";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.requireRank(this, inputShape, 1, "(time,) of integer ids");
    return new int[] {inputShape[0], outputDim};
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    return List.of(
        new WeightSpec("embeddings", new int[] {inputDim, outputDim}, embeddingsInitializer));
  }

  @Override
  public String toString() {
    return "Embedding(" + inputDim + ", " + outputDim + ", mask_zero=" + maskZero + ")";
  }
}

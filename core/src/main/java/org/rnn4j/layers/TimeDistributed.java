package org.rnn4j.layers;

import java.util.Arrays;
import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * Keras {@code TimeDistributed(layer)}: the inner layer applied to every time step of a {@code
 * (time, ...)} input, as to a batch of its steps — a Dense on each step's features, or a Conv1D,
 * pooling and Flatten on each step's own sequence (the CNN-LSTM pattern on {@code (time, steps,
 * channels)} inputs). Its weights are the inner layer's; the mask over time passes through.
 */
public final class TimeDistributed implements Layer {
  private final Layer layer;
  private final String name;

  private TimeDistributed(Layer layer, String name) {
    if (!steppable(layer)) {
      throw new InvalidModelException("TimeDistributed of " + layer.kerasClassName() + " is not supported (it takes Dense, Conv1D,"
          + " pooling, Flatten, Reshape, activation, normalization and dropout-like layers)");
    }
    this.layer = layer;
    this.name = name;
  }

  /** Whether a layer can be applied to each time step on its own: one input, no recurrence, no graph. */
  public static boolean steppable(Layer layer) {
    return layer instanceof Dense || layer instanceof Conv1D || layer instanceof Pooling || layer instanceof GlobalPooling
        || layer instanceof Flatten || layer instanceof ActivationLayer || layer instanceof InferenceIdentity
        || layer instanceof Normalization || layer instanceof Rectifier || layer instanceof Rearrange;
  }

  public static TimeDistributed of(Layer layer) {
    return new TimeDistributed(layer, null);
  }

  public static TimeDistributed of(Layer layer, String name) {
    return new TimeDistributed(layer, name);
  }

  /** The layer applied to every step. */
  public Layer layer() {
    return layer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "TimeDistributed";
  }

  /** The shape of one step of an input of {@code inputShape} (its time axis removed). */
  public int[] stepShape(int[] inputShape) {
    if (inputShape.length < 2) {
      throw new InvalidModelException(LayerShapes.describe(this) + " expects input of shape (time, ...) (without batch), got "
          + Shapes.format(inputShape));
    }
    return Arrays.copyOfRange(inputShape, 1, inputShape.length);
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    int[] step = layer.outputShape(stepShape(inputShape));
    int[] out = new int[step.length + 1];
    out[0] = inputShape[0];
    System.arraycopy(step, 0, out, 1, step.length);
    return out;
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    return layer.weightSpecs(stepShape(inputShape));
  }

  @Override
  public String toString() {
    return "TimeDistributed(" + layer + ")";
  }
}

package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.initializers.Initializer;

/**
 * Keras {@code BatchNormalization} (inference: the moving statistics) and {@code
 * LayerNormalization} (each vector's own mean and variance), both over the last axis:
 * {@code (x − mean) / sqrt(variance + epsilon) · gamma + beta}. Weights, those present in this
 * order: {@code gamma} (with {@code scale}), {@code beta} (with {@code center}), and for batch
 * normalization {@code moving_mean}, {@code moving_variance}.
 */
public final class Normalization implements Layer {
  /** Where the statistics come from. */
  public enum Kind {
    /** The moving mean and variance recorded in training. */
    BATCH("BatchNormalization"),
    /** The mean and variance of each vector along the last axis. */
    LAYER("LayerNormalization");

    private final String kerasClassName;

    Kind(String kerasClassName) {
      this.kerasClassName = kerasClassName;
    }
  }

  private final Kind kind;
  private final int axis;
  private final double epsilon;
  private final boolean center;
  private final boolean scale;
  private final String name;

  private Normalization(Kind kind, int axis, double epsilon, boolean center, boolean scale, String name) {
    this.kind = kind;
    this.axis = axis;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.name = name;
  }

  /** A normalization over the last axis (Keras' defaults: epsilon 1e-3, center and scale). */
  public static Normalization of(Kind kind, double epsilon, boolean center, boolean scale, String name) {
    return new Normalization(kind, -1, epsilon, center, scale, name);
  }

  /**
   * A normalization over {@code axis} as a Keras config gives it (with the batch axis counted):
   * only the last axis is supported, which the input shape decides.
   */
  public static Normalization of(Kind kind, int axis, double epsilon, boolean center, boolean scale, String name) {
    return new Normalization(kind, axis, epsilon, center, scale, name);
  }

  public Kind kind() {
    return kind;
  }

  public double epsilon() {
    return epsilon;
  }

  public boolean center() {
    return center;
  }

  public boolean scale() {
    return scale;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return kind.kerasClassName;
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.lastDim(this, inputShape);
    if (axis != -1 && axis != inputShape.length) {
      throw new org.rnn4j.InvalidModelException(
          LayerShapes.describe(this) + ": normalizes axis " + axis + ", but only the last axis (" + inputShape.length + " or -1) is supported");
    }
    return inputShape.clone();
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    int[] c = {LayerShapes.lastDim(this, inputShape)};
    List<WeightSpec> specs = new ArrayList<>();
    if (scale) {
      specs.add(new WeightSpec("gamma", c, Initializer.ones()));
    }
    if (center) {
      specs.add(new WeightSpec("beta", c, Initializer.zeros()));
    }
    if (kind == Kind.BATCH) {
      specs.add(new WeightSpec("moving_mean", c, Initializer.zeros()));
      specs.add(new WeightSpec("moving_variance", c, Initializer.ones()));
    }
    return List.copyOf(specs);
  }

  @Override
  public String toString() {
    return kind.kerasClassName + "(epsilon=" + epsilon + ", center=" + center + ", scale=" + scale + ")";
  }
}

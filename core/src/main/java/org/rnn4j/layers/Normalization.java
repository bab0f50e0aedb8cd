package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.initializers.Initializer;

/**
 * Keras {@code BatchNormalization} (inference: the moving statistics) and {@code
 * LayerNormalization} (each vector's own mean and variance), both over the last axis:
 * {@code (x − mean) / sqrt(variance + epsilon) · gamma + beta}. Weights, those present in this
 * order: {@code gamma} (with {@code scale}), {@code beta} (with {@code center}), and for batch
 * normalization {@code moving_mean}, {@code moving_variance}.
 *
 * <p>Also the preprocessing {@code Normalization} layer: {@code (x − mean) / max(sqrt(variance),
 * 1e-7)} (or, with {@code invert}, {@code mean + x · max(sqrt(variance), 1e-7)}), its statistics
 * given in the config or adapted and saved as the weights {@code mean}, {@code variance}, {@code
 * count}.
 */
public final class Normalization implements Layer {
  /** Where the statistics come from. */
  public enum Kind {
    /** The moving mean and variance recorded in training. */
    BATCH("BatchNormalization"),
    /** The mean and variance of each vector along the last axis. */
    LAYER("LayerNormalization"),
    /** The preprocessing layer's adapted (or given) mean and variance. */
    STANDARDIZE("Normalization");

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
  private final boolean invert;
  /** STANDARDIZE with statistics in the config: mean then variance per feature (else null: weights). */
  private final float[][] statistics;
  private final String name;

  private Normalization(Kind kind, int axis, double epsilon, boolean center, boolean scale, String name) {
    this(kind, axis, epsilon, center, scale, false, null, name);
  }

  private Normalization(Kind kind, int axis, double epsilon, boolean center, boolean scale, boolean invert, float[][] statistics,
      String name) {
    this.invert = invert;
    this.statistics = statistics;
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

  /**
   * The preprocessing {@code Normalization} layer over the last axis ({@code axis} counts the batch
   * axis; -1 is the last).
   *
   * @param mean the config's mean per feature (one value broadcasts), or null for adapted weights
   * @param variance likewise
   */
  public static Normalization standardize(int axis, float[] mean, float[] variance, boolean invert, String name) {
    if ((mean == null) != (variance == null)) {
      throw new InvalidModelException("Normalization: give both mean and variance, or neither");
    }
    return new Normalization(Kind.STANDARDIZE, axis, 1e-7, false, false, invert, mean == null ? null : new float[][] {mean, variance}, name);
  }

  public Kind kind() {
    return kind;
  }

  /** STANDARDIZE: whether it undoes the standardization. */
  public boolean invert() {
    return invert;
  }

  /** STANDARDIZE with statistics in the config: {mean, variance} per feature for {@code width} features; else null. */
  public float[][] statistics(int width) {
    if (statistics == null) {
      return null;
    }
    float[][] out = new float[2][width];
    for (int k = 0; k < 2; k++) {
      if (statistics[k].length != 1 && statistics[k].length != width) {
        throw new InvalidModelException(LayerShapes.describe(this) + ": " + (k == 0 ? "mean" : "variance") + " has "
            + statistics[k].length + " values for " + width + " features");
      }
      for (int j = 0; j < width; j++) {
        out[k][j] = statistics[k][statistics[k].length == 1 ? 0 : j];
      }
    }
    return out;
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
    if (kind == Kind.STANDARDIZE) {
      statistics(c[0]);
      return statistics != null ? List.of() : List.of(new WeightSpec("mean", c, Initializer.zeros(), false),
          new WeightSpec("variance", c, Initializer.ones(), false), new WeightSpec("count", new int[0], Initializer.zeros(), false));
    }
    List<WeightSpec> specs = new ArrayList<>();
    if (scale) {
      specs.add(new WeightSpec("gamma", c, Initializer.ones()));
    }
    if (center) {
      specs.add(new WeightSpec("beta", c, Initializer.zeros()));
    }
    if (kind == Kind.BATCH) {
      specs.add(new WeightSpec("moving_mean", c, Initializer.zeros(), false));
      specs.add(new WeightSpec("moving_variance", c, Initializer.ones(), false));
    }
    return List.copyOf(specs);
  }

  @Override
  public String toString() {
    if (kind == Kind.STANDARDIZE) {
      return "Normalization(" + (statistics != null ? "mean and variance given" : "adapted") + (invert ? ", invert" : "") + ")";
    }
    return kind.kerasClassName + "(epsilon=" + epsilon + ", center=" + center + ", scale=" + scale + ")";
  }
}

package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.initializers.Initializer;

/**
 * Keras' activation layers that take parameters: {@code ReLU(max_value, negative_slope,
 * threshold)}, {@code LeakyReLU(negative_slope)}, {@code ELU(alpha)}, {@code ThresholdedReLU(theta)}
 * and {@code PReLU} (a learned slope per element, shared along {@code shared_axes}). Element-wise;
 * the mask passes through.
 */
public final class Rectifier implements Layer {
  /** The function. */
  public enum Kind {
    /** {@code min(x if x > threshold else 0, max_value) − negative_slope · relu(threshold − x)} (Keras' relu). */
    RELU("ReLU"),
    /** {@code x if x ≥ 0 else negative_slope · x}. */
    LEAKY_RELU("LeakyReLU"),
    /** {@code x if x > 0 else alpha · (exp(x) − 1)}. */
    ELU("ELU"),
    /** {@code x if x > theta else 0}. */
    THRESHOLDED_RELU("ThresholdedReLU"),
    /** {@code relu(x) − alpha · relu(−x)}, alpha learned. */
    PRELU("PReLU");

    private final String kerasClassName;

    Kind(String kerasClassName) {
      this.kerasClassName = kerasClassName;
    }
  }

  private final Kind kind;
  private final double slope;
  private final double maxValue;
  private final double threshold;
  private final int[] sharedAxes;
  private final Initializer alphaInitializer;
  private final String name;

  private Rectifier(Kind kind, double slope, double maxValue, double threshold, int[] sharedAxes, Initializer alphaInitializer, String name) {
    if (kind == Kind.RELU && (maxValue < 0 || slope < 0)) {
      throw new InvalidModelException("ReLU: max_value and negative_slope must not be negative");
    }
    this.kind = kind;
    this.slope = slope;
    this.maxValue = maxValue;
    this.threshold = threshold;
    this.sharedAxes = sharedAxes;
    this.alphaInitializer = alphaInitializer;
    this.name = name;
  }

  /** {@code ReLU}: {@code maxValue} infinite for none. */
  public static Rectifier relu(double maxValue, double negativeSlope, double threshold, String name) {
    return new Rectifier(Kind.RELU, negativeSlope, maxValue, threshold, new int[0], null, name);
  }

  public static Rectifier leakyRelu(double negativeSlope, String name) {
    return new Rectifier(Kind.LEAKY_RELU, negativeSlope, Double.POSITIVE_INFINITY, 0, new int[0], null, name);
  }

  public static Rectifier elu(double alpha, String name) {
    return new Rectifier(Kind.ELU, alpha, Double.POSITIVE_INFINITY, 0, new int[0], null, name);
  }

  public static Rectifier thresholdedRelu(double theta, String name) {
    return new Rectifier(Kind.THRESHOLDED_RELU, 0, Double.POSITIVE_INFINITY, theta, new int[0], null, name);
  }

  /**
   * {@code PReLU}: alpha has the input's shape (without batch), of size 1 along {@code sharedAxes}
   * (Keras numbering, batch = 0).
   */
  public static Rectifier prelu(int[] sharedAxes, Initializer alphaInitializer, String name) {
    return new Rectifier(Kind.PRELU, 0, Double.POSITIVE_INFINITY, 0, sharedAxes.clone(), alphaInitializer, name);
  }

  public Kind kind() {
    return kind;
  }

  /** ReLU's negative_slope, LeakyReLU's negative_slope, ELU's alpha. */
  public double slope() {
    return slope;
  }

  /** ReLU's max_value (infinite for none). */
  public double maxValue() {
    return maxValue;
  }

  /** ReLU's threshold, ThresholdedReLU's theta. */
  public double threshold() {
    return threshold;
  }

  /**
   * The function at {@code x} for a fixed parameter (PReLU: {@code alpha}), in double, as Keras
   * defines it.
   */
  public double apply(double x, double alpha) {
    return switch (kind) {
      case RELU -> {
        double y = x > threshold ? x : (Double.isNaN(x) ? x : 0.0);
        y = Math.min(y, maxValue);
        yield slope == 0 ? y : y - slope * Math.max(threshold - x, 0.0);
      }
      case LEAKY_RELU -> x >= 0 ? x : slope * x;
      case ELU -> x > 0 ? x : slope * Math.expm1(x);
      case THRESHOLDED_RELU -> x > threshold ? x : (Double.isNaN(x) ? x : 0.0);
      case PRELU -> Math.max(x, 0.0) - alpha * Math.max(-x, 0.0);
    };
  }

  /**
   * The derivative by {@code x} for a fixed parameter (PReLU: {@code alpha}); at a kink, the side
   * TensorFlow's gradient of the same ops takes (relu passes nothing at its threshold, a clip to
   * {@code max_value} passes at the bound).
   */
  public double derivative(double x, double alpha) {
    return switch (kind) {
      case RELU -> (x > threshold && x <= maxValue ? 1.0 : 0.0) + (x < threshold ? slope : 0.0);
      case LEAKY_RELU -> x > 0 ? 1.0 : slope;
      case ELU -> x > 0 ? 1.0 : slope * Math.exp(x);
      case THRESHOLDED_RELU -> x > threshold ? 1.0 : 0.0;
      case PRELU -> x > 0 ? 1.0 : x < 0 ? alpha : 0.0;
    };
  }

  /** PReLU: the derivative by {@code alpha} at {@code x}, {@code −relu(−x)}. */
  public double alphaDerivative(double x) {
    return -Math.max(-x, 0.0);
  }

  /** PReLU's alpha shape for an input of {@code inputShape} (without batch). */
  public int[] alphaShape(int[] inputShape) {
    int[] s = inputShape.clone();
    for (int axis : sharedAxes) {
      if (axis < 1 || axis > s.length) {
        throw new InvalidModelException(LayerShapes.describe(this) + ": shared axis " + axis + " is outside the input (rank " + (s.length + 1) + ")");
      }
      s[axis - 1] = 1;
    }
    for (int d : s) {
      if (d < 0) {
        throw new InvalidModelException(LayerShapes.describe(this) + ": alpha needs known sizes; share the open axes (shared_axes), got input "
            + org.rnn4j.Shapes.format(inputShape));
      }
    }
    return s;
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
    if (kind == Kind.PRELU) {
      alphaShape(inputShape);
    }
    return inputShape.clone();
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    return kind == Kind.PRELU ? List.of(new WeightSpec("alpha", alphaShape(inputShape), alphaInitializer)) : List.of();
  }

  @Override
  public String toString() {
    return switch (kind) {
      case RELU -> "ReLU(max_value=" + maxValue + ", negative_slope=" + slope + ", threshold=" + threshold + ")";
      case LEAKY_RELU -> "LeakyReLU(negative_slope=" + slope + ")";
      case ELU -> "ELU(alpha=" + slope + ")";
      case THRESHOLDED_RELU -> "ThresholdedReLU(theta=" + threshold + ")";
      case PRELU -> "PReLU(shared_axes=" + java.util.Arrays.toString(sharedAxes) + ")";
    };
  }
}

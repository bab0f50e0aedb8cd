package org.rnn4j.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.rnn4j.InvalidModelException;

/**
 * The activations a Keras layer can name, each with its exact Keras definition. Most are
 * element-wise ({@link #apply(float)}); {@code softmax}, {@code log_softmax} and {@code sparsemax}
 * act on each vector along the last axis, {@code crelu} doubles and {@code glu} halves that axis
 * ({@link #outputWidth}). {@link #applyRow} is the reference definition every backend is tested
 * against: it evaluates in double precision and rounds once to float32.
 *
 * <p>Keras changed {@code hard_sigmoid} between versions: Keras 2 (and tf.keras) defines {@code
 * clip(0.2 x + 0.5, 0, 1)}, Keras 3 {@code relu6(x + 3) / 6}. They are two constants here; a model
 * read from a file gets the one of the Keras version that wrote it ({@link #fromKeras}).
 */
public enum Activation {
  LINEAR("linear"),
  TANH("tanh"),
  SIGMOID("sigmoid"),
  /** Keras 1/2 and tf.keras: {@code clip(0.2 x + 0.5, 0, 1)}. */
  HARD_SIGMOID("hard_sigmoid"),
  /** Keras 3: {@code relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1)}. */
  HARD_SIGMOID_KERAS3("hard_sigmoid"),
  RELU("relu"),
  RELU6("relu6"),
  /** Keras' {@code leaky_relu} activation, negative slope 0.2. */
  LEAKY_RELU("leaky_relu"),
  ELU("elu"),
  SELU("selu"),
  SOFTPLUS("softplus"),
  SOFTSIGN("softsign"),
  /** {@code x * sigmoid(x)}; Keras calls it {@code silu} and {@code swish}. */
  SILU("silu"),
  /** Exact GELU, {@code 0.5 x (1 + erf(x / sqrt 2))}: Keras' default ({@code approximate=False}). */
  GELU("gelu"),
  /** Keras 3: {@code x * relu6(x + 3) / 6}; also called {@code hard_swish}. */
  HARD_SILU("hard_silu"),
  EXPONENTIAL("exponential"),
  /** {@code x * tanh(softplus(x))}. */
  MISH("mish"),
  /** {@code max(0, x) + min(0, exp(x) - 1)} (alpha 1). */
  CELU("celu"),
  /** {@code clip(x, -1, 1)}. */
  HARD_TANH("hard_tanh"),
  /** {@code x} where {@code |x| > 0.5}, else 0. */
  HARD_SHRINK("hard_shrink"),
  /** {@code x - 0.5} above 0.5, {@code x + 0.5} below -0.5, else 0. */
  SOFT_SHRINK("soft_shrink"),
  /** {@code -softplus(-x)}. */
  LOG_SIGMOID("log_sigmoid"),
  /** 0 up to -1, {@code (x + 1)² / 4} up to 1, then {@code x}. */
  SPARSE_PLUS("sparse_plus"),
  /** {@code (x + sqrt(x² + 4)) / 2}. */
  SQUAREPLUS("squareplus"),
  /** {@code x - tanh(x)}. */
  TANH_SHRINK("tanh_shrink"),
  /** {@code exp(x - max) / sum(exp(x - max))} along the last axis. */
  SOFTMAX("softmax"),
  /** {@code x - max - log(sum(exp(x - max)))} along the last axis. */
  LOG_SOFTMAX("log_softmax"),
  /** The Euclidean projection onto the probability simplex along the last axis. */
  SPARSEMAX("sparsemax"),
  /** {@code concat(relu(x), relu(-x))} along the last axis: twice as wide. */
  CRELU("crelu"),
  /** {@code a * sigmoid(b)} for the two halves {@code a, b} of the last axis: half as wide. */
  GLU("glu");

  static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  static final double SELU_SCALE = 1.0507009873554804934193349852946;
  static final double LEAKY_RELU_SLOPE = 0.2;

  private final String kerasName;
  /** Whether it acts along the last axis (not element-wise), fixed per constant so hot loops test it cheaply. */
  private final boolean rowWise;

  Activation(String kerasName) {
    this.kerasName = kerasName;
    this.rowWise = switch (kerasName) {
      case "softmax", "log_softmax", "sparsemax", "crelu", "glu" -> true;
      default -> false;
    };
  }

  /** The name Keras serializes this activation under. */
  public String kerasName() {
    return kerasName;
  }

  /** Whether the activation acts on each element alone ({@link #apply(float)} defines it). */
  public boolean elementwise() {
    return !rowWise;
  }

  /**
   * The width of the last axis after the activation: {@code width}, twice it for {@code crelu},
   * half of it for {@code glu}.
   *
   * @throws InvalidModelException if {@code glu} meets an odd width
   */
  public int outputWidth(int width) {
    return switch (this) {
      case CRELU -> width < 0 ? width : 2 * width;
      case GLU -> {
        if (width > 0 && width % 2 != 0) {
          throw new InvalidModelException("activation 'glu' splits the last axis in two halves, but it has odd size " + width);
        }
        yield width < 0 ? width : width / 2;
      }
      default -> width;
    };
  }

  /** The activation's value at {@code x}, rounded once to float32 (element-wise activations only). */
  public float apply(float x) {
    return (float) applyExact(x);
  }

  /**
   * Applies the activation to one vector along the last axis: {@code n} values of {@code x} from
   * {@code off} into {@link #outputWidth outputWidth(n)} values of {@code out} from {@code outOff}
   * ({@code out} may be {@code x} when the width is kept). Evaluated in double, rounded once.
   */
  public void applyRow(float[] x, int off, int n, float[] out, int outOff) {
    switch (this) {
      case SOFTMAX, LOG_SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += Math.exp(x[off + i] - max);
        }
        double logSum = Math.log(sum);
        for (int i = 0; i < n; i++) {
          double shifted = x[off + i] - max;
          out[outOff + i] = (float) (this == SOFTMAX ? Math.exp(shifted) / sum : shifted - logSum);
        }
      }
      case SPARSEMAX -> {
        double[] sorted = new double[n];
        for (int i = 0; i < n; i++) {
          sorted[i] = x[off + i];
        }
        java.util.Arrays.sort(sorted);
        // the largest value is always in the support (1 + z > z), even where rounding says otherwise
        double cumsum = sorted[n - 1];
        double supportSum = cumsum;
        int k = 1;
        for (int j = 2; j <= n; j++) {
          double z = sorted[n - j];
          cumsum += z;
          if (1 + j * z > cumsum) {
            k = j;
            supportSum = cumsum;
          }
        }
        double tau = (supportSum - 1) / k;
        for (int i = 0; i < n; i++) {
          out[outOff + i] = (float) Math.max(x[off + i] - tau, 0.0);
        }
      }
      case CRELU -> {
        float[] row = java.util.Arrays.copyOfRange(x, off, off + n);
        for (int i = 0; i < n; i++) {
          out[outOff + i] = RELU.apply(row[i]);
          out[outOff + n + i] = RELU.apply(-row[i]);
        }
      }
      case GLU -> {
        int half = n / 2;
        float[] row = java.util.Arrays.copyOfRange(x, off, off + n);
        for (int i = 0; i < half; i++) {
          out[outOff + i] = (float) (row[i] * sigmoid(row[half + i]));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out[outOff + i] = apply(x[off + i]);
        }
      }
    }
  }

  /**
   * The activation's value at {@code x} in double precision (element-wise activations only).
   *
   * @throws IllegalStateException for an activation along the last axis
   */
  public double applyExact(double x) {
    return switch (this) {
      case LINEAR -> x;
      case TANH -> Math.tanh(x);
      case SIGMOID -> sigmoid(x);
      case HARD_SIGMOID -> Math.min(1.0, Math.max(0.0, 0.2 * x + 0.5));
      case HARD_SIGMOID_KERAS3 -> hardSigmoid3(x);
      case RELU -> x > 0 ? x : (x == 0 ? 0.0 : (Double.isNaN(x) ? x : 0.0));
      case RELU6 -> Double.isNaN(x) ? x : Math.min(6.0, Math.max(0.0, x));
      case LEAKY_RELU -> x >= 0 ? x : LEAKY_RELU_SLOPE * x;
      case ELU -> x > 0 ? x : Math.expm1(x);
      case SELU -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
      case SOFTPLUS -> softplus(x);
      case SOFTSIGN -> x / (1.0 + Math.abs(x));
      case SILU -> x * sigmoid(x);
      case GELU -> 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0)));
      case HARD_SILU -> x * hardSigmoid3(x);
      case EXPONENTIAL -> Math.exp(x);
      case MISH -> x * Math.tanh(softplus(x));
      case CELU -> Math.max(0.0, x) + Math.min(0.0, Math.expm1(x));
      case HARD_TANH -> Double.isNaN(x) ? x : Math.min(1.0, Math.max(-1.0, x));
      // where(condition, ..., 0) in Keras: NaN fails every condition and gives 0
      case HARD_SHRINK -> Math.abs(x) > 0.5 ? x : 0.0;
      case SOFT_SHRINK -> x > 0.5 ? x - 0.5 : (x < -0.5 ? x + 0.5 : 0.0);
      case LOG_SIGMOID -> -softplus(-x);
      case SPARSE_PLUS -> x <= -1 ? 0.0 : (x < 1 ? (x + 1) * (x + 1) / 4 : x);
      // Keras computes it in float32: the square overflows above ~1.8e19, and 4 vanishes beside a
      // square above ~1e8 (so squareplus(-1e4) is 0)
      case SQUAREPLUS -> {
        float f = (float) x;
        float root = (float) Math.sqrt((float) (f * f + 4f));
        yield (f + root) / 2f;
      }
      case TANH_SHRINK -> x - Math.tanh(x);
      case SOFTMAX, LOG_SOFTMAX, SPARSEMAX, CRELU, GLU ->
          throw new IllegalStateException("activation '" + kerasName + "' acts along the last axis, not element-wise");
    };
  }

  /**
   * Whether rnn4j can differentiate the activation (for gradients): the element-wise activations
   * with a derivative almost everywhere (not hard_shrink, whose value jumps) and those along the
   * last axis.
   */
  public boolean differentiable() {
    return switch (this) {
      case LINEAR, TANH, SIGMOID, HARD_SIGMOID, HARD_SIGMOID_KERAS3, RELU, RELU6, LEAKY_RELU, ELU, SELU, SOFTPLUS, SOFTSIGN, SILU,
          GELU, HARD_SILU, EXPONENTIAL, MISH, CELU, HARD_TANH, SOFT_SHRINK, LOG_SIGMOID, SPARSE_PLUS, SQUAREPLUS, TANH_SHRINK, SOFTMAX,
          LOG_SOFTMAX, SPARSEMAX, CRELU, GLU -> true;
      default -> false;
    };
  }

  /**
   * The derivative at {@code x} of an element-wise activation (at a kink, the one-sided value
   * TensorFlow's gradient takes: relu passes nothing at 0, the clipped ones pass inside their
   * range).
   *
   * @throws IllegalStateException if the activation is not {@link #differentiable} or acts along the last axis
   */
  public double derivative(double x) {
    return switch (this) {
      case LINEAR -> 1.0;
      case TANH -> {
        double t = Math.tanh(x);
        yield 1.0 - t * t;
      }
      case SIGMOID -> {
        double s = sigmoid(x);
        yield s * (1.0 - s);
      }
      case HARD_SIGMOID -> {
        double v = 0.2 * x + 0.5;
        yield v >= 0.0 && v <= 1.0 ? 0.2 : 0.0;
      }
      case HARD_SIGMOID_KERAS3 -> x > -3.0 && x < 3.0 ? 1.0 / 6.0 : 0.0;
      case RELU -> x > 0 ? 1.0 : 0.0;
      case RELU6 -> x > 0 && x < 6 ? 1.0 : 0.0;
      case LEAKY_RELU -> x > 0 ? 1.0 : LEAKY_RELU_SLOPE;
      case ELU -> x > 0 ? 1.0 : Math.exp(x);
      case SELU -> SELU_SCALE * (x > 0 ? 1.0 : SELU_ALPHA * Math.exp(x));
      case SOFTPLUS -> sigmoid(x);
      case SOFTSIGN -> 1.0 / ((1.0 + Math.abs(x)) * (1.0 + Math.abs(x)));
      case SILU -> {
        double s = sigmoid(x);
        yield s * (1.0 + x * (1.0 - s));
      }
      case GELU -> 0.5 * (1.0 + Erf.erf(x / Math.sqrt(2.0))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2.0 * Math.PI);
      case HARD_SILU -> hardSigmoid3(x) + (x > -3.0 && x < 3.0 ? x / 6.0 : 0.0);
      case EXPONENTIAL -> Math.exp(x);
      case MISH -> {
        double t = Math.tanh(softplus(x));
        yield t + x * (1.0 - t * t) * sigmoid(x);
      }
      case CELU -> x > 0 ? 1.0 : Math.exp(x);
      case HARD_TANH -> x >= -1.0 && x <= 1.0 ? 1.0 : 0.0;
      case SOFT_SHRINK -> x > 0.5 || x < -0.5 ? 1.0 : 0.0;
      case SPARSE_PLUS -> x <= -1 ? 0.0 : (x < 1 ? (x + 1) / 2 : 1.0);
      case SQUAREPLUS -> (1.0 + x / Math.sqrt(x * x + 4.0)) / 2.0;
      case LOG_SIGMOID -> sigmoid(-x);
      case TANH_SHRINK -> {
        double t = Math.tanh(x);
        yield t * t;
      }
      default -> throw new IllegalStateException("activation '" + kerasName + "' has no element-wise derivative in rnn4j");
    };
  }

  /**
   * The vector-Jacobian product of the activation on one row: {@code dx = J(x)ᵀ · dy} for the
   * {@code n} values of {@code x} from {@code off}, in double ({@code dy} and {@code dx} from 0).
   * Only for {@link #differentiable} activations that keep the width.
   */
  public void backwardRow(float[] x, int off, int n, double[] dy, double[] dx) {
    backwardRow(x, off, null, 0, n, dy, dx);
  }

  /**
   * As {@link #backwardRow(float[], int, int, double[], double[])}, given also the activation's
   * output {@code y} from {@code yOff} (or null): sigmoid, tanh and exponential then take their
   * derivative from it, without evaluating the activation again. For crelu and glu, {@code dy}
   * has the output's width ({@link #outputWidth}), {@code dx} the input's.
   */
  public void backwardRow(float[] x, int off, float[] y, int yOff, int n, double[] dy, double[] dx) {
    switch (this) {
      case CRELU -> {
        for (int j = 0; j < n; j++) {
          dx[j] = (x[off + j] > 0 ? dy[j] : 0.0) - (x[off + j] < 0 ? dy[n + j] : 0.0);
        }
        return;
      }
      case GLU -> {
        int h = n / 2;
        for (int j = 0; j < h; j++) {
          double s = sigmoid(x[off + h + j]);
          dx[j] = dy[j] * s;
          dx[h + j] = dy[j] * x[off + j] * s * (1.0 - s);
        }
        return;
      }
      case SPARSEMAX -> {
        // on the support (output > 0) the gradient less its mean there; zero elsewhere
        float[] out = y;
        int o = yOff;
        if (out == null) {
          out = new float[n];
          o = 0;
          applyRow(x, off, n, out, 0);
        }
        double sum = 0;
        int support = 0;
        for (int j = 0; j < n; j++) {
          if (out[o + j] > 0) {
            sum += dy[j];
            support++;
          }
        }
        for (int j = 0; j < n; j++) {
          dx[j] = out[o + j] > 0 ? dy[j] - sum / support : 0.0;
        }
        return;
      }
      default -> {}
    }
    if (y != null && (this == SIGMOID || this == TANH || this == EXPONENTIAL)) {
      for (int j = 0; j < n; j++) {
        double v = y[yOff + j];
        dx[j] = dy[j] * (this == SIGMOID ? v * (1.0 - v) : this == TANH ? 1.0 - v * v : v);
      }
      return;
    }
    if (this == SOFTMAX || this == LOG_SOFTMAX) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        max = Math.max(max, x[off + j]);
      }
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += Math.exp(x[off + j] - max);
      }
      double dot = 0;
      for (int j = 0; j < n; j++) {
        double p = Math.exp(x[off + j] - max) / sum;
        dot += this == SOFTMAX ? dy[j] * p : dy[j];
      }
      for (int j = 0; j < n; j++) {
        double p = Math.exp(x[off + j] - max) / sum;
        dx[j] = this == SOFTMAX ? p * (dy[j] - dot) : dy[j] - p * dot;
      }
      return;
    }
    for (int j = 0; j < n; j++) {
      dx[j] = dy[j] * derivative(x[off + j]);
    }
  }

  private static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  private static double hardSigmoid3(double x) {
    return Double.isNaN(x) ? x : Math.min(1.0, Math.max(0.0, x / 6.0 + 0.5));
  }

  private static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  /**
   * The activation a Keras config names, as defined by the Keras major version that wrote it.
   *
   * @param name the serialized name, e.g. {@code "tanh"}; {@code null} or empty means linear
   * @param kerasMajor 1, 2 or 3
   * @throws InvalidModelException naming the activation if Keras has no such activation or rnn4j
   *     does not implement it
   */
  public static Activation fromKeras(String name, int kerasMajor) {
    if (name == null || name.isEmpty()) {
      return LINEAR;
    }
    String n = name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "linear" -> LINEAR;
      case "tanh" -> TANH;
      case "sigmoid", "logistic" -> SIGMOID;
      case "hard_sigmoid" -> kerasMajor >= 3 ? HARD_SIGMOID_KERAS3 : HARD_SIGMOID;
      case "relu" -> RELU;
      case "relu6" -> RELU6;
      case "leaky_relu" -> LEAKY_RELU;
      case "elu" -> ELU;
      case "selu" -> SELU;
      case "softplus" -> SOFTPLUS;
      case "softsign" -> SOFTSIGN;
      case "silu", "swish" -> SILU;
      case "gelu" -> GELU;
      case "hard_silu", "hard_swish" -> HARD_SILU;
      case "exponential" -> EXPONENTIAL;
      case "mish" -> MISH;
      case "celu" -> CELU;
      case "hard_tanh" -> HARD_TANH;
      case "hard_shrink" -> HARD_SHRINK;
      case "soft_shrink" -> SOFT_SHRINK;
      case "log_sigmoid" -> LOG_SIGMOID;
      case "sparse_plus" -> SPARSE_PLUS;
      case "squareplus" -> SQUAREPLUS;
      case "tanh_shrink" -> TANH_SHRINK;
      case "softmax" -> SOFTMAX;
      case "log_softmax" -> LOG_SOFTMAX;
      case "sparsemax" -> SPARSEMAX;
      case "crelu" -> CRELU;
      case "glu" -> GLU;
      case "threshold" ->
          throw new InvalidModelException(
              "activation 'threshold' needs its threshold and default_value arguments, which a name alone does not give");
      default ->
          throw new InvalidModelException(
              "unsupported activation '" + name + "' (supported: " + supportedNames() + ")");
    };
  }

  /** The Keras names {@link #fromKeras} accepts. */
  public static String supportedNames() {
    List<String> names =
        Arrays.stream(values()).map(Activation::kerasName).distinct().collect(Collectors.toList());
    names.addAll(List.of("swish", "hard_swish"));
    return String.join(", ", names);
  }
}

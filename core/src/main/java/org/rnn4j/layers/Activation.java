package org.rnn4j.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.rnn4j.InvalidModelException;

/**
 * The element-wise activations a Keras recurrent or dense layer can name, each with its exact
 * Keras definition. {@link #apply(float)} is the reference definition every backend is tested
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
  MISH("mish");

  static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  static final double SELU_SCALE = 1.0507009873554804934193349852946;
  static final double LEAKY_RELU_SLOPE = 0.2;

  private final String kerasName;

  Activation(String kerasName) {
    this.kerasName = kerasName;
  }

  /** The name Keras serializes this activation under. */
  public String kerasName() {
    return kerasName;
  }

  /** The activation's value at {@code x}, rounded once to float32. */
  public float apply(float x) {
    return (float) applyExact(x);
  }

  /** The activation's value at {@code x} in double precision. */
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
    };
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

package org.rnn4j;

import java.util.Locale;

/**
 * A Keras 3 loss with its default reduction, {@code sum_over_batch_size}: each loss acts on the
 * last axis of the prediction, giving one value per sample (and per time step of a sequence), and
 * the loss is their mean. When the prediction carries a mask (a sequence output of a masked
 * model), Keras weights the values by it: the loss is {@code Σ valid values / (valid + 1e-7)}.
 *
 * <p>The definitions are Keras' own, backend-neutral ones: probabilities are clipped to {@code
 * [ε, 1 − ε]} with Keras' {@code ε = 1e-7} (both bounds as float32, as Keras computes them; a
 * clipped value passes no gradient, as TensorFlow's clip does not), categorical crossentropy
 * normalises the prediction by its sum over the last axis first, and sparse categorical
 * crossentropy takes the log of the clipped probabilities as logits. {@code from_logits} applies
 * to the three crossentropies. (Keras' TensorFlow backend alone also detects a prediction made by
 * a sigmoid or softmax op and uses its logits; rnn4j follows the definition.)
 */
public final class Loss {
  /** The losses Keras names. */
  public enum Kind {
    MEAN_SQUARED_ERROR("mean_squared_error"),
    MEAN_ABSOLUTE_ERROR("mean_absolute_error"),
    BINARY_CROSSENTROPY("binary_crossentropy"),
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
    SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy");

    private final String kerasName;

    Kind(String kerasName) {
      this.kerasName = kerasName;
    }

    /** The name Keras gives the loss function. */
    public String kerasName() {
      return kerasName;
    }

    /** Whether the loss accepts {@code from_logits}. */
    public boolean crossentropy() {
      return this != MEAN_SQUARED_ERROR && this != MEAN_ABSOLUTE_ERROR;
    }
  }

  /** Keras' {@code backend.epsilon()}. */
  public static final double EPSILON = 1e-7;
  /** The clip bounds of probabilities, as Keras computes them in float32. */
  static final double CLIP_LOW = (float) EPSILON;
  static final double CLIP_HIGH = (float) (1.0 - EPSILON);

  private final Kind kind;
  private final boolean fromLogits;

  private Loss(Kind kind, boolean fromLogits) {
    if (fromLogits && !kind.crossentropy()) {
      throw new IllegalArgumentException("from_logits applies to the crossentropy losses, not to " + kind.kerasName());
    }
    this.kind = kind;
    this.fromLogits = fromLogits;
  }

  public static Loss of(Kind kind, boolean fromLogits) {
    return new Loss(kind, fromLogits);
  }

  /**
   * A loss by one of the names Keras accepts ({@code mse}, {@code mean_squared_error}, {@code mae},
   * {@code mean_absolute_error}, {@code binary_crossentropy}, {@code categorical_crossentropy},
   * {@code sparse_categorical_crossentropy}).
   *
   * @throws IllegalArgumentException for another name, or {@code from_logits} on mse or mae
   */
  public static Loss of(String name, boolean fromLogits) {
    Kind kind =
        switch (name.toLowerCase(Locale.ROOT)) {
          case "mse", "mean_squared_error" -> Kind.MEAN_SQUARED_ERROR;
          case "mae", "mean_absolute_error" -> Kind.MEAN_ABSOLUTE_ERROR;
          case "binary_crossentropy", "bce" -> Kind.BINARY_CROSSENTROPY;
          case "categorical_crossentropy", "cce" -> Kind.CATEGORICAL_CROSSENTROPY;
          case "sparse_categorical_crossentropy", "scce" -> Kind.SPARSE_CATEGORICAL_CROSSENTROPY;
          default -> throw new IllegalArgumentException(
              "unknown loss '" + name + "'; expected one of mse, mae, binary_crossentropy, categorical_crossentropy, "
                  + "sparse_categorical_crossentropy");
        };
    return new Loss(kind, fromLogits);
  }

  public Kind kind() {
    return kind;
  }

  public boolean fromLogits() {
    return fromLogits;
  }

  /**
   * Checks a target against a prediction's shape: the same shape, or for sparse categorical
   * crossentropy the shape without the last axis (or with a last axis of 1) holding class ids
   * in {@code [0, classes)}.
   *
   * @throws InvalidInputException naming what does not fit
   */
  public void checkTarget(int[] predictionShape, Tensor target) {
    int[] expected = predictionShape;
    int[] shape = target.shape();
    if (kind == Kind.SPARSE_CATEGORICAL_CROSSENTROPY) {
      expected = java.util.Arrays.copyOf(predictionShape, predictionShape.length - 1);
      if (shape.length == predictionShape.length && shape[shape.length - 1] == 1) {
        shape = java.util.Arrays.copyOf(shape, shape.length - 1);
      }
    }
    if (!java.util.Arrays.equals(expected, shape)) {
      throw new InvalidInputException("target has shape " + Shapes.format(target.shape()) + " but " + kind.kerasName()
          + " on an output of shape " + Shapes.format(predictionShape) + " expects " + Shapes.format(expected));
    }
    if (kind == Kind.SPARSE_CATEGORICAL_CROSSENTROPY) {
      int classes = predictionShape[predictionShape.length - 1];
      for (int i = 0; i < target.size(); i++) {
        float id = target.getFlat(i);
        if (!(id >= 0 && id < classes) || id != Math.rint(id)) {
          throw new InvalidInputException("target element " + i + " is " + id + " but sparse_categorical_crossentropy expects a "
              + "class id in [0, " + classes + ")");
        }
      }
    }
  }

  /** The loss's value and its gradient with respect to the prediction. */
  public record Evaluation(double value, Tensor gradient) {}

  /**
   * Evaluates the loss in float64.
   *
   * @param prediction the model's output {@code (batch, ..., n)}
   * @param target checked by {@link #checkTarget}
   * @param mask the prediction's mask (its shape without the last axis, 1 valid and 0 masked), or null
   */
  public Evaluation evaluate(Tensor prediction, Tensor target, Tensor mask) {
    checkTarget(prediction.shape(), target);
    int n = prediction.shape()[prediction.rank() - 1];
    int rows = prediction.size() / Math.max(1, n);
    float[] p = prediction.toArray();
    float[] y = target.toArray();
    double[] weights = rowWeights(rows, mask);
    float[] grad = new float[p.length];
    double total = 0;
    double[] dRow = new double[n];
    for (int r = 0; r < rows; r++) {
      if (weights[r] == 0) {
        continue;
      }
      total += weights[r] * row(p, y, r, n, dRow);
      for (int j = 0; j < n; j++) {
        grad[r * n + j] = (float) (weights[r] * dRow[j]);
      }
    }
    return new Evaluation(total, Tensor.wrap(prediction.shape(), grad));
  }

  /** Each row's weight in the mean: 1/rows, or Keras' mask weighting divided by rows. */
  private static double[] rowWeights(int rows, Tensor mask) {
    double[] w = new double[rows];
    if (mask == null) {
      java.util.Arrays.fill(w, 1.0 / rows);
      return w;
    }
    if (mask.size() != rows) {
      throw new InvalidInputException("a mask of " + mask.size() + " elements does not fit a loss over " + rows + " rows");
    }
    double valid = 0;
    for (int r = 0; r < rows; r++) {
      valid += mask.getFlat(r) != 0f ? 1 : 0;
    }
    double scale = 1 / (valid + EPSILON); // Keras' weight total/(valid + ε), then the mean over the total
    for (int r = 0; r < rows; r++) {
      w[r] = mask.getFlat(r) != 0f ? scale : 0;
    }
    return w;
  }

  /** One row's loss; its gradient with respect to the row's predictions goes to {@code d}. */
  private double row(float[] p, float[] y, int r, int n, double[] d) {
    int o = r * n;
    switch (kind) {
      case MEAN_SQUARED_ERROR -> {
        double s = 0;
        for (int j = 0; j < n; j++) {
          double e = (double) p[o + j] - y[o + j];
          s += e * e;
          d[j] = 2 * e / n;
        }
        return s / n;
      }
      case MEAN_ABSOLUTE_ERROR -> {
        double s = 0;
        for (int j = 0; j < n; j++) {
          double e = (double) p[o + j] - y[o + j];
          s += Math.abs(e);
          d[j] = Math.signum(e) / n;
        }
        return s / n;
      }
      case BINARY_CROSSENTROPY -> {
        double s = 0;
        for (int j = 0; j < n; j++) {
          double x = p[o + j];
          double t = y[o + j];
          if (fromLogits) {
            s += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
            d[j] = (sigmoid(x) - t) / n;
          } else {
            double q = clip(x);
            s += -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
            d[j] = passes(x) ? -(t / q - (1 - t) / (1 - q)) / n : 0;
          }
        }
        return s / n;
      }
      case CATEGORICAL_CROSSENTROPY -> {
        return fromLogits ? softmaxCrossentropy(p, y, o, n, d) : categorical(p, y, o, n, d);
      }
      case SPARSE_CATEGORICAL_CROSSENTROPY -> {
        int label = (int) y[r];
        double[] logits = new double[n];
        for (int j = 0; j < n; j++) {
          logits[j] = fromLogits ? p[o + j] : Math.log(clip(p[o + j]));
        }
        double lse = logSumExp(logits);
        for (int j = 0; j < n; j++) {
          double g = Math.exp(logits[j] - lse) - (j == label ? 1 : 0);
          // through log(clip(p)): d log q / dp = 1/q where the clip passes
          d[j] = fromLogits ? g : passes(p[o + j]) ? g / clip(p[o + j]) : 0;
        }
        return lse - logits[label];
      }
      default -> throw new IllegalStateException(kind.name());
    }
  }

  private static double softmaxCrossentropy(float[] p, float[] y, int o, int n, double[] d) {
    double[] x = new double[n];
    double targetSum = 0;
    for (int j = 0; j < n; j++) {
      x[j] = p[o + j];
      targetSum += y[o + j];
    }
    double lse = logSumExp(x);
    double s = 0;
    for (int j = 0; j < n; j++) {
      s += y[o + j] * (lse - x[j]);
      d[j] = Math.exp(x[j] - lse) * targetSum - y[o + j];
    }
    return s;
  }

  /** {@code -Σ y·log(clip(p / Σp))}, and its gradient through the normalisation. */
  private static double categorical(float[] p, float[] y, int o, int n, double[] d) {
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += p[o + j];
    }
    double s = 0;
    double dot = 0; // Σ_j dℓ/dq_j · q_j, for the normalisation's share
    for (int j = 0; j < n; j++) {
      double q = p[o + j] / sum;
      double qc = clip(q);
      s -= y[o + j] * Math.log(qc);
      d[j] = passes(q) ? -y[o + j] / qc : 0;
      dot += d[j] * q;
    }
    for (int j = 0; j < n; j++) {
      d[j] = (d[j] - dot) / sum;
    }
    return s;
  }

  private static double clip(double q) {
    return Math.min(CLIP_HIGH, Math.max(CLIP_LOW, q));
  }

  /** Whether a clip to {@code [ε, 1 − ε]} passes the gradient (bounds included, as TensorFlow's). */
  private static boolean passes(double q) {
    return q >= CLIP_LOW && q <= CLIP_HIGH;
  }

  private static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  private static double logSumExp(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double s = 0;
    for (double v : x) {
      s += Math.exp(v - max);
    }
    return max + Math.log(s);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Loss l && l.kind == kind && l.fromLogits == fromLogits;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 2 + (fromLogits ? 1 : 0);
  }

  @Override
  public String toString() {
    return kind.kerasName() + (fromLogits ? " (from_logits)" : "");
  }
}

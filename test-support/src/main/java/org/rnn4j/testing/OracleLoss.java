package org.rnn4j.testing;

import org.rnn4j.Loss;
import org.rnn4j.Tensor;

/**
 * Keras 3's losses in float64, written apart from {@link Loss}'s own evaluation (only the loss
 * kind is read from it): one value per row of the last axis, then the mean over rows, or with a
 * mask Keras' weighting {@code Σ valid / (valid + 1e-7)}. Values only: gradients are the finite
 * differences of these values.
 */
final class OracleLoss {
  private OracleLoss() {}

  private static final double EPS = 1e-7;
  private static final double LOW = (float) EPS;
  private static final double HIGH = (float) (1 - EPS);

  static double value(Float64Oracle.Output out, Tensor target, Loss loss) {
    int n = out.shape()[out.shape().length - 1];
    int rows = out.values().length / n;
    double sum = 0;
    double valid = 0;
    for (int r = 0; r < rows; r++) {
      boolean ok = out.mask() == null || out.mask()[r / out.mask()[0].length][r % out.mask()[0].length];
      if (ok) {
        sum += row(out.values(), r * n, n, target, r, loss);
        valid++;
      }
    }
    return out.mask() == null ? sum / rows : sum / (valid + EPS);
  }

  private static double row(double[] p, int o, int n, Tensor target, int r, Loss loss) {
    double s = 0;
    switch (loss.kind()) {
      case MEAN_SQUARED_ERROR -> {
        for (int j = 0; j < n; j++) {
          s += Math.pow(p[o + j] - target.getFlat(o + j), 2);
        }
        return s / n;
      }
      case MEAN_ABSOLUTE_ERROR -> {
        for (int j = 0; j < n; j++) {
          s += Math.abs(p[o + j] - target.getFlat(o + j));
        }
        return s / n;
      }
      case BINARY_CROSSENTROPY -> {
        for (int j = 0; j < n; j++) {
          double y = target.getFlat(o + j);
          double q = loss.fromLogits() ? 1 / (1 + Math.exp(-p[o + j])) : clip(p[o + j]);
          s -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
        }
        return s / n;
      }
      case CATEGORICAL_CROSSENTROPY -> {
        double[] q = probabilities(p, o, n, loss.fromLogits());
        for (int j = 0; j < n; j++) {
          s -= target.getFlat(o + j) * Math.log(q[j]);
        }
        return s;
      }
      case SPARSE_CATEGORICAL_CROSSENTROPY -> {
        double[] logits = new double[n];
        for (int j = 0; j < n; j++) {
          logits[j] = loss.fromLogits() ? p[o + j] : Math.log(clip(p[o + j]));
        }
        double[] q = probabilities(logits, 0, n, true);
        return -Math.log(q[(int) target.getFlat(r)]);
      }
      default -> throw new IllegalStateException();
    }
  }

  /** Softmax of logits, or the clipped normalised probabilities. */
  private static double[] probabilities(double[] p, int o, int n, boolean logits) {
    double[] q = new double[n];
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, p[o + j]);
    }
    for (int j = 0; j < n; j++) {
      q[j] = logits ? Math.exp(p[o + j] - max) : p[o + j];
      sum += q[j];
    }
    for (int j = 0; j < n; j++) {
      q[j] = logits ? q[j] / sum : clip(q[j] / sum);
    }
    return q;
  }

  private static double clip(double v) {
    return Math.min(HIGH, Math.max(LOW, v));
  }
}

package org.rnn4j.testing;

import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.SeparableConv1D;

/**
 * The oracle's convolution, pooling and normalization in float64, from Keras' definitions: the
 * input is padded explicitly (TensorFlow's {@code same} split: the extra step after; {@code
 * causal}: all before) and each window read from the padded copy.
 */
final class OracleWindows {
  private OracleWindows() {}

  /** A convolution's zero padding before the first step and its output length: {before, out}. */
  private static int[] window(Conv1D c, int steps) {
    int k = c.kernelSize();
    int d = c.dilation();
    int s = c.strides();
    int span = d * (k - 1) + 1;
    return switch (c.padding()) {
      case VALID -> new int[] {0, (steps - span) / s + 1};
      case CAUSAL -> new int[] {span - 1, (steps - 1) / s + 1};
      default -> {
        int out = (steps + s - 1) / s;
        yield new int[] {Math.max((out - 1) * s + span - steps, 0) / 2, out};
      }
    };
  }

  static double[][][] conv1d(Conv1D c, List<Tensor> w, double[][][] x) {
    int steps = x[0].length;
    int channels = x[0][0].length;
    int k = c.kernelSize();
    int d = c.dilation();
    int s = c.strides();
    int[] window = window(c, steps);
    int before = window[0];
    int out = window[1];
    float[] kernel = w.get(0).toArray();
    float[] bias = c.useBias() ? w.get(1).toArray() : null;
    int filters = c.filters();
    int perGroupIn = channels / c.groups();
    int perGroupOut = filters / c.groups();
    double[][][] y = new double[x.length][out][filters];
    for (int b = 0; b < x.length; b++) {
      for (int t = 0; t < out; t++) {
        for (int f = 0; f < filters; f++) {
          int group = f / perGroupOut;
          double acc = bias == null ? 0 : bias[f];
          for (int j = 0; j < k; j++) {
            int src = t * s + j * d - before;
            if (src < 0 || src >= steps) {
              continue;
            }
            for (int ci = 0; ci < perGroupIn; ci++) {
              acc += x[b][src][group * perGroupIn + ci] * kernel[(j * perGroupIn + ci) * filters + f];
            }
          }
          y[b][t][f] = acc;
        }
        y[b][t] = OracleActivations.apply(c.activation(), y[b][t]);
      }
    }
    return y;
  }

  /**
   * SeparableConv1D from its definition: each input channel c convolved with its own depth_multiplier
   * filters m into channel c·dm + m, then every position's channels mixed by the pointwise kernel,
   * the bias, the activation.
   */
  static double[][][] separableConv1d(SeparableConv1D sep, List<Tensor> w, double[][][] x) {
    int steps = x[0].length;
    int in = x[0][0].length;
    int dm = sep.depthMultiplier();
    Conv1D geometry = sep.depthwise(in);
    int k = geometry.kernelSize();
    int d = geometry.dilation();
    int s = geometry.strides();
    int[] window = window(geometry, steps);
    int filters = sep.filters();
    float[] depthwise = w.get(0).toArray(); // (k, in, dm)
    float[] pointwise = w.get(1).toArray(); // (1, in·dm, filters)
    float[] bias = sep.useBias() ? w.get(2).toArray() : null;
    double[][][] z = new double[x.length][window[1]][filters];
    for (int b = 0; b < x.length; b++) {
      for (int t = 0; t < window[1]; t++) {
        double[] spread = new double[in * dm];
        for (int c = 0; c < in; c++) {
          for (int m = 0; m < dm; m++) {
            double acc = 0;
            for (int j = 0; j < k; j++) {
              int src = t * s + j * d - window[0];
              if (src >= 0 && src < steps) {
                acc += x[b][src][c] * depthwise[(j * in + c) * dm + m];
              }
            }
            spread[c * dm + m] = acc;
          }
        }
        for (int f = 0; f < filters; f++) {
          double acc = bias == null ? 0 : bias[f];
          for (int q = 0; q < in * dm; q++) {
            acc += spread[q] * pointwise[q * filters + f];
          }
          z[b][t][f] = acc;
        }
        z[b][t] = OracleActivations.apply(sep.activation(), z[b][t]);
      }
    }
    return z;
  }

  static double[][][] pool(Pooling p, double[][][] x) {
    int steps = x[0].length;
    int channels = x[0][0].length;
    int size = p.poolSize();
    int s = p.strides();
    int out = p.same() ? (steps + s - 1) / s : (steps - size) / s + 1;
    int before = p.same() ? Math.max((out - 1) * s + size - steps, 0) / 2 : 0;
    double[][][] y = new double[x.length][out][channels];
    for (int b = 0; b < x.length; b++) {
      for (int t = 0; t < out; t++) {
        for (int c = 0; c < channels; c++) {
          double max = Double.NEGATIVE_INFINITY;
          double sum = 0;
          int n = 0;
          for (int j = 0; j < size; j++) {
            int src = t * s + j - before;
            if (src >= 0 && src < steps) {
              max = Math.max(max, x[b][src][c]);
              sum += x[b][src][c];
              n++;
            }
          }
          y[b][t][c] = p.kind() == Pooling.Kind.MAX ? max : sum / n;
        }
      }
    }
    return y;
  }

  static Object globalPool(GlobalPooling p, double[][][] x, boolean[][] mask) {
    int channels = x[0][0].length;
    double[][] y = new double[x.length][channels];
    for (int b = 0; b < x.length; b++) {
      for (int c = 0; c < channels; c++) {
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int n = 0;
        for (int t = 0; t < x[b].length; t++) {
          if (mask == null || mask[b][t]) {
            max = Math.max(max, x[b][t][c]);
            sum += x[b][t][c];
            n++;
          }
        }
        y[b][c] = p.kind() == Pooling.Kind.MAX ? max : sum / n;
      }
    }
    if (!p.keepDims()) {
      return y;
    }
    double[][][] kept = new double[x.length][1][];
    for (int b = 0; b < x.length; b++) {
      kept[b][0] = y[b];
    }
    return kept;
  }

  static Object normalize(Normalization n, List<Tensor> w, Object x) {
    if (x instanceof double[][][] s) {
      double[][][] out = new double[s.length][][];
      for (int b = 0; b < s.length; b++) {
        out[b] = (double[][]) normalize(n, w, s[b]);
      }
      return out;
    }
    double[][] m = (double[][]) x;
    if (n.kind() == Normalization.Kind.STANDARDIZE) {
      int width = m[0].length;
      float[][] given = n.statistics(width);
      float[] mean = given != null ? given[0] : w.get(0).toArray();
      float[] variance = given != null ? given[1] : w.get(1).toArray();
      double[][] out = new double[m.length][width];
      for (int r = 0; r < m.length; r++) {
        for (int j = 0; j < width; j++) {
          double sd = Math.max(Math.sqrt(variance[j]), 1e-7);
          out[r][j] = n.invert() ? mean[j] + m[r][j] * sd : (m[r][j] - mean[j]) / sd;
        }
      }
      return out;
    }
    int i = 0;
    float[] gamma = n.scale() ? w.get(i++).toArray() : null;
    float[] beta = n.center() ? w.get(i++).toArray() : null;
    float[] movingMean = n.kind() == Normalization.Kind.BATCH ? w.get(i++).toArray() : null;
    float[] movingVariance = n.kind() == Normalization.Kind.BATCH ? w.get(i).toArray() : null;
    double[][] out = new double[m.length][];
    for (int r = 0; r < m.length; r++) {
      double[] row = m[r];
      double mean = 0;
      for (double v : row) {
        mean += v / row.length;
      }
      double var = 0;
      for (double v : row) {
        var += (v - mean) * (v - mean) / row.length;
      }
      out[r] = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        double mu = movingMean == null ? mean : movingMean[j];
        double sigma2 = movingVariance == null ? var : movingVariance[j];
        out[r][j] = (row[j] - mu) / Math.sqrt(sigma2 + n.epsilon()) * (gamma == null ? 1 : gamma[j]) + (beta == null ? 0 : beta[j]);
      }
    }
    return out;
  }
}

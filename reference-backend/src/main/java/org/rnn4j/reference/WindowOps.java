package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.List;

import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Pooling;
import org.rnn4j.spi.LayerWeights;

/**
 * The reference backend's layers over windows of time steps and over channels: convolution,
 * pooling, global pooling and normalization, read off their Keras definitions (double
 * accumulation, one rounding to float32 per output).
 */
final class WindowOps {
  private WindowOps() {}

  static Buf conv1d(Conv1D layer, LayerWeights weights, Buf x) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int channels = x.dim(2);
    int filters = layer.filters();
    int groupIn = channels / layer.groups();
    int groupOut = filters / layer.groups();
    int out = layer.outputLength(steps);
    int left = layer.padLeft(steps);
    float[] kernel = weights.get(0).toArray(); // (kernel_size, groupIn, filters)
    float[] bias = layer.useBias() ? weights.get(1).toArray() : null;
    float[] y = new float[batch * out * filters];
    double[] acc = new double[filters];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < out; t++) {
        MatVec.init(acc, bias, 0, filters);
        for (int j = 0; j < layer.kernelSize(); j++) {
          int src = t * layer.strides() + j * layer.dilation() - left;
          if (src < 0 || src >= steps) {
            continue; // zero padding
          }
          int row = (b * steps + src) * channels;
          for (int g = 0; g < layer.groups(); g++) {
            // channels [g·groupIn, (g+1)·groupIn) feed filters [g·groupOut, (g+1)·groupOut)
            for (int c = 0; c < groupIn; c++) {
              double v = x.data[row + g * groupIn + c];
              int w = (j * groupIn + c) * filters + g * groupOut;
              for (int f = 0; f < groupOut; f++) {
                acc[g * groupOut + f] += v * kernel[w + f];
              }
            }
          }
        }
        int o = (b * out + t) * filters;
        for (int f = 0; f < filters; f++) {
          y[o + f] = (float) acc[f];
        }
        layer.activation().applyRow(y, o, filters, y, o);
      }
    }
    return new Buf(new int[] {batch, out, filters}, y);
  }

  /** The gradients of a convolution (without its activation) by its input, kernel and bias. */
  record Conv1dGradients(double[] input, double[] kernel, double[] bias) {}

  /** Backward of {@link #conv1d} without the activation, from the gradient {@code dz} of its output. */
  static Conv1dGradients conv1dBackward(Conv1D layer, LayerWeights weights, Buf x, float[] dz) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int channels = x.dim(2);
    int filters = layer.filters();
    int groupIn = channels / layer.groups();
    int groupOut = filters / layer.groups();
    int out = layer.outputLength(steps);
    int left = layer.padLeft(steps);
    float[] kernel = weights.get(0).toArray();
    double[] dx = new double[x.data.length];
    double[] dk = new double[kernel.length];
    double[] db = new double[filters];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < out; t++) {
        int o = (b * out + t) * filters;
        for (int f = 0; f < filters; f++) {
          db[f] += dz[o + f];
        }
        for (int j = 0; j < layer.kernelSize(); j++) {
          int src = t * layer.strides() + j * layer.dilation() - left;
          if (src < 0 || src >= steps) {
            continue;
          }
          int row = (b * steps + src) * channels;
          for (int g = 0; g < layer.groups(); g++) {
            for (int c = 0; c < groupIn; c++) {
              double v = x.data[row + g * groupIn + c];
              int w = (j * groupIn + c) * filters + g * groupOut;
              double s = 0;
              for (int f = 0; f < groupOut; f++) {
                double d = dz[o + g * groupOut + f];
                s += d * kernel[w + f];
                dk[w + f] += v * d;
              }
              dx[row + g * groupIn + c] += s;
            }
          }
        }
      }
    }
    return new Conv1dGradients(dx, dk, db);
  }

  /** Backward of {@link #pool}: a maximum's gradient to the first maximal step of its window (as TensorFlow's), an average's shared. */
  static float[] poolBackward(Pooling layer, Buf x, Buf y, float[] dy) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int channels = x.dim(2);
    int out = y.dim(1);
    int left = layer.padLeft(steps);
    float[] dx = new float[x.data.length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < out; t++) {
        int from = Math.max(t * layer.strides() - left, 0);
        int to = Math.min(t * layer.strides() - left + layer.poolSize(), steps);
        for (int c = 0; c < channels; c++) {
          float d = dy[(b * out + t) * channels + c];
          if (layer.kind() == Pooling.Kind.MAX) {
            int best = from;
            for (int s = from + 1; s < to; s++) {
              if (x.data[(b * steps + s) * channels + c] > x.data[(b * steps + best) * channels + c]) {
                best = s;
              }
            }
            dx[(b * steps + best) * channels + c] += d;
          } else {
            for (int s = from; s < to; s++) {
              dx[(b * steps + s) * channels + c] += d / (to - from);
            }
          }
        }
      }
    }
    return dx;
  }

  /** Backward of {@link #globalPool}: the maximum's gradient to its first maximal step, the average's shared among the valid steps. */
  static float[] globalPoolBackward(GlobalPooling layer, Buf x, Buf mask, Buf y, float[] dy) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int channels = x.dim(2);
    float[] dx = new float[x.data.length];
    for (int b = 0; b < batch; b++) {
      int count = 0;
      for (int s = 0; s < steps; s++) {
        count += mask == null || mask.data[b * steps + s] != 0f ? 1 : 0;
      }
      for (int c = 0; c < channels; c++) {
        float d = dy[b * channels + c];
        if (layer.kind() == Pooling.Kind.MAX) {
          int best = 0;
          for (int s = 1; s < steps; s++) {
            if (x.data[(b * steps + s) * channels + c] > x.data[(b * steps + best) * channels + c]) {
              best = s;
            }
          }
          dx[(b * steps + best) * channels + c] += d;
        } else {
          for (int s = 0; s < steps; s++) {
            if (mask == null || mask.data[b * steps + s] != 0f) {
              dx[(b * steps + s) * channels + c] += d / count;
            }
          }
        }
      }
    }
    return dx;
  }

  static Buf pool(Pooling layer, Buf x) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int channels = x.dim(2);
    int out = layer.outputShape(new int[] {steps, channels})[0];
    int left = layer.padLeft(steps);
    float[] y = new float[batch * out * channels];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < out; t++) {
        int from = Math.max(t * layer.strides() - left, 0);
        int to = Math.min(t * layer.strides() - left + layer.poolSize(), steps);
        for (int c = 0; c < channels; c++) {
          double max = Double.NEGATIVE_INFINITY;
          double sum = 0;
          boolean nan = false;
          for (int s = from; s < to; s++) {
            float v = x.data[(b * steps + s) * channels + c];
            nan |= Float.isNaN(v);
            max = Math.max(max, v);
            sum += v;
          }
          y[(b * out + t) * channels + c] =
              nan ? Float.NaN : (float) (layer.kind() == Pooling.Kind.MAX ? max : sum / (to - from));
        }
      }
    }
    return new Buf(new int[] {batch, out, channels}, y);
  }

  static Buf globalPool(GlobalPooling layer, Buf x, Buf mask) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int channels = x.dim(2);
    float[] y = new float[batch * channels];
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < channels; c++) {
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double count = 0;
        boolean nan = false;
        for (int s = 0; s < steps; s++) {
          if (mask != null && mask.data[b * steps + s] == 0f) {
            continue;
          }
          float v = x.data[(b * steps + s) * channels + c];
          nan |= Float.isNaN(v);
          max = Math.max(max, v);
          sum += v;
          count++;
        }
        y[b * channels + c] = nan ? Float.NaN : (float) (layer.kind() == Pooling.Kind.MAX ? max : sum / count);
      }
    }
    int[] shape = layer.keepDims() ? new int[] {batch, 1, channels} : new int[] {batch, channels};
    return new Buf(shape, y);
  }

  /**
   * Backward of {@link #normalize}: the input's gradient, then one per weight of the layer in its
   * order (the preprocessing layer's count has none: zeros).
   */
  static List<double[]> normalizeBackward(Normalization layer, LayerWeights weights, Buf x, float[] dy) {
    int width = x.dim(-1);
    int rows = x.data.length / width;
    double[] dx = new double[x.data.length];
    List<double[]> out = new ArrayList<>();
    out.add(dx);
    if (layer.kind() == Normalization.Kind.STANDARDIZE) {
      float[][] given = layer.statistics(width);
      float[] mean = given != null ? given[0] : weights.get(0).toArray();
      float[] variance = given != null ? given[1] : weights.get(1).toArray();
      double[] dMean = new double[width];
      double[] dVariance = new double[width];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < width; j++) {
          double root = Math.sqrt(variance[j]);
          boolean clipped = root < layer.epsilon(); // sd = max(sqrt(variance), epsilon)
          double sd = clipped ? layer.epsilon() : root;
          double d = dy[r * width + j];
          double v = x.data[r * width + j];
          double dSd;
          if (layer.invert()) {
            dx[r * width + j] = d * sd;
            dMean[j] += d;
            dSd = d * v;
          } else {
            dx[r * width + j] = d / sd;
            dMean[j] -= d / sd;
            dSd = -d * (v - mean[j]) / (sd * sd);
          }
          dVariance[j] += clipped ? 0 : dSd / (2 * root);
        }
      }
      if (given == null) {
        out.add(dMean);
        out.add(dVariance);
        out.add(new double[weights.get(2).size()]);
      }
      return out;
    }
    int w = 0;
    float[] gamma = layer.scale() ? weights.get(w++).toArray() : null;
    boolean center = layer.center();
    w += center ? 1 : 0;
    float[] movingMean = layer.kind() == Normalization.Kind.BATCH ? weights.get(w++).toArray() : null;
    float[] movingVariance = layer.kind() == Normalization.Kind.BATCH ? weights.get(w).toArray() : null;
    double[] dGamma = new double[width];
    double[] dBeta = new double[width];
    double[] dMovingMean = new double[width];
    double[] dMovingVariance = new double[width];
    double[] dn = new double[width];
    double[] n = new double[width];
    for (int r = 0; r < rows; r++) {
      int off = r * width;
      double[] moments = movingMean == null ? rowMoments(x.data, off, width) : null;
      double mean = moments == null ? 0 : moments[0];
      double variance = moments == null ? 0 : moments[1];
      double sumDn = 0;
      double sumDnN = 0;
      for (int j = 0; j < width; j++) {
        double m = movingMean == null ? mean : movingMean[j];
        double v = movingVariance == null ? variance : movingVariance[j];
        double s = Math.sqrt(v + layer.epsilon());
        n[j] = (x.data[off + j] - m) / s;
        double d = dy[off + j];
        dGamma[j] += d * n[j];
        dBeta[j] += d;
        dn[j] = d * (gamma == null ? 1 : gamma[j]);
        sumDn += dn[j];
        sumDnN += dn[j] * n[j];
        if (movingMean != null) {
          dx[off + j] = dn[j] / s;
          dMovingMean[j] -= dn[j] / s;
          dMovingVariance[j] -= dn[j] * n[j] / (2 * (v + layer.epsilon()));
        }
      }
      if (movingMean == null) {
        // the row's own mean and variance depend on every element of the row
        double s = Math.sqrt(variance + layer.epsilon());
        for (int j = 0; j < width; j++) {
          dx[off + j] = (dn[j] - sumDn / width - n[j] * sumDnN / width) / s;
        }
      }
    }
    if (gamma != null) {
      out.add(dGamma);
    }
    if (center) {
      out.add(dBeta);
    }
    if (movingMean != null) {
      out.add(dMovingMean);
      out.add(dMovingVariance);
    }
    return out;
  }

  /** A row's mean and (biased) variance, as LayerNormalization takes them. */
  private static double[] rowMoments(float[] x, int off, int width) {
    double mean = 0;
    for (int j = 0; j < width; j++) {
      mean += x[off + j];
    }
    mean /= width;
    double variance = 0;
    for (int j = 0; j < width; j++) {
      double d = x[off + j] - mean;
      variance += d * d;
    }
    return new double[] {mean, variance / width};
  }

  static Buf normalize(Normalization layer, LayerWeights weights, Buf x) {
    int width = x.dim(-1);
    int rows = x.data.length / width;
    if (layer.kind() == Normalization.Kind.STANDARDIZE) {
      float[][] given = layer.statistics(width);
      float[] mean = given != null ? given[0] : weights.get(0).toArray();
      float[] variance = given != null ? given[1] : weights.get(1).toArray();
      float[] y = new float[x.data.length];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < width; j++) {
          double sd = Math.max(Math.sqrt(variance[j]), layer.epsilon());
          double v = x.data[r * width + j];
          y[r * width + j] = (float) (layer.invert() ? mean[j] + v * sd : (v - mean[j]) / sd);
        }
      }
      return new Buf(x.shape.clone(), y);
    }
    int w = 0;
    float[] gamma = layer.scale() ? weights.get(w++).toArray() : null;
    float[] beta = layer.center() ? weights.get(w++).toArray() : null;
    float[] movingMean = layer.kind() == Normalization.Kind.BATCH ? weights.get(w++).toArray() : null;
    float[] movingVariance = layer.kind() == Normalization.Kind.BATCH ? weights.get(w).toArray() : null;
    float[] y = new float[x.data.length];
    for (int r = 0; r < rows; r++) {
      int off = r * width;
      double[] moments = movingMean == null ? rowMoments(x.data, off, width) : null;
      double mean = moments == null ? 0 : moments[0];
      double variance = moments == null ? 0 : moments[1];
      for (int j = 0; j < width; j++) {
        double m = movingMean == null ? mean : movingMean[j];
        double v = movingVariance == null ? variance : movingVariance[j];
        double n = (x.data[off + j] - m) / Math.sqrt(v + layer.epsilon());
        y[off + j] = (float) (n * (gamma == null ? 1 : gamma[j]) + (beta == null ? 0 : beta[j]));
      }
    }
    return new Buf(x.shape.clone(), y);
  }
}

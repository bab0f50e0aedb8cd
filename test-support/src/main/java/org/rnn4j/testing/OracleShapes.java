package org.rnn4j.testing;

import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;

/**
 * The oracle's parametric activations and value-moving layers, from Keras' definitions, on
 * samples of rank 1 ({@code double[][]} with batch) or 2 ({@code double[][][]}).
 */
final class OracleShapes {
  private OracleShapes() {}

  static Object rectify(Rectifier r, List<Tensor> w, Object x) {
    if (x instanceof double[][][] s) {
      double[][][] out = new double[s.length][s[0].length][];
      for (int b = 0; b < s.length; b++) {
        for (int t = 0; t < s[b].length; t++) {
          out[b][t] = new double[s[b][t].length];
          for (int f = 0; f < s[b][t].length; f++) {
            double alpha = r.kind() == Rectifier.Kind.PRELU ? alpha(w.get(0), t, f) : 0;
            out[b][t][f] = rectify(r, s[b][t][f], alpha);
          }
        }
      }
      return out;
    }
    double[][] m = (double[][]) x;
    double[][] out = new double[m.length][];
    for (int b = 0; b < m.length; b++) {
      out[b] = new double[m[b].length];
      for (int f = 0; f < m[b].length; f++) {
        out[b][f] = rectify(r, m[b][f], r.kind() == Rectifier.Kind.PRELU ? w.get(0).get(f) : 0);
      }
    }
    return out;
  }

  /** PReLU's alpha at (t, f) of a (time, features) sample, size-1 axes shared. */
  private static double alpha(Tensor a, int t, int f) {
    return a.get(a.dim(0) == 1 ? 0 : t, a.dim(1) == 1 ? 0 : f);
  }

  private static double rectify(Rectifier r, double x, double alpha) {
    return switch (r.kind()) {
      case RELU -> {
        double y = x > r.threshold() ? Math.min(x, r.maxValue()) : 0;
        yield y - r.slope() * Math.max(r.threshold() - x, 0);
      }
      case LEAKY_RELU -> x >= 0 ? x : r.slope() * x;
      case ELU -> x > 0 ? x : r.slope() * (Math.exp(x) - 1);
      case THRESHOLDED_RELU -> x > r.threshold() ? x : 0;
      case PRELU -> x > 0 ? x : alpha * x;
    };
  }

  static Object rearrange(Rearrange r, Object x) {
    if (x instanceof double[][] vectors) {
      // (batch, n): only Reshape applies to a vector per sample
      int[] target = r.arguments();
      int n = vectors[0].length;
      if (target.length == 1) {
        return vectors;
      }
      int cols = target[1] == -1 ? n / target[0] : target[1];
      double[][][] out = new double[vectors.length][n / cols][cols];
      for (int b = 0; b < vectors.length; b++) {
        for (int i = 0; i < n; i++) {
          out[b][i / cols][i % cols] = vectors[b][i];
        }
      }
      return out;
    }
    double[][][] s = (double[][][]) x;
    int[] a = r.arguments();
    if (r.kind() == Rearrange.Kind.RESHAPE && a.length == 1) {
      double[][] out = new double[s.length][];
      for (int b = 0; b < s.length; b++) {
        out[b] = java.util.Arrays.stream(s[b]).flatMapToDouble(java.util.Arrays::stream).toArray();
      }
      return out;
    }
    double[][][] out = new double[s.length][][];
    for (int b = 0; b < s.length; b++) {
      double[][] m = s[b];
      int steps = m.length;
      int features = m[0].length;
      out[b] = switch (r.kind()) {
        case RESHAPE -> {
          double[] flat = java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
          int cols = a[1] == -1 ? flat.length / a[0] : a[1];
          double[][] o = new double[flat.length / cols][cols];
          for (int i = 0; i < flat.length; i++) {
            o[i / cols][i % cols] = flat[i];
          }
          yield o;
        }
        case PERMUTE -> {
          if (a[0] == 1) {
            yield m;
          }
          double[][] o = new double[features][steps];
          for (int t = 0; t < steps; t++) {
            for (int f = 0; f < features; f++) {
              o[f][t] = m[t][f];
            }
          }
          yield o;
        }
        case CROPPING_1D -> java.util.Arrays.copyOfRange(m, a[0], steps - a[1]);
        case ZERO_PADDING_1D -> {
          double[][] o = new double[steps + a[0] + a[1]][features];
          for (int t = 0; t < steps; t++) {
            o[t + a[0]] = m[t].clone();
          }
          yield o;
        }
        case UP_SAMPLING_1D -> {
          double[][] o = new double[steps * a[0]][];
          for (int t = 0; t < o.length; t++) {
            o[t] = m[t / a[0]].clone();
          }
          yield o;
        }
      };
    }
    return out;
  }
}

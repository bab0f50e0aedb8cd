package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.Operation;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
import org.rnn4j.Tensor;
import org.rnn4j.spi.LayerWeights;

/**
 * The reference backend's merge layers and operation nodes of functional graphs, parametric
 * activations, and the layers that move values.
 */
final class GraphOps {
  private GraphOps() {}

  static Buf combine(Merge layer, List<Buf> inputs) {
    Buf first = inputs.get(0);
    return switch (layer.kind()) {
      case CONCATENATE -> concatenate(layer.axis(first.shape.length - 1) + 1, inputs);
      case DOT -> first.shape.length == 2 ? dot(layer.normalize(), first, inputs.get(1)) : dotMatrices(layer, first, inputs.get(1));
      default -> {
        float[] out = first.data.clone();
        for (Buf b : inputs.subList(1, inputs.size())) {
          for (int i = 0; i < out.length; i++) {
            float v = b.data[i];
            out[i] = switch (layer.kind()) {
              case ADD, AVERAGE -> out[i] + v;
              case SUBTRACT -> out[i] - v;
              case MULTIPLY -> out[i] * v;
              case MAXIMUM -> Operation.Kind.MAXIMUM.apply(out[i], v);
              case MINIMUM -> Operation.Kind.MINIMUM.apply(out[i], v);
              default -> throw new IllegalStateException(layer.kind().toString());
            };
          }
        }
        if (layer.kind() == Merge.Kind.AVERAGE) {
          for (int i = 0; i < out.length; i++) {
            out[i] /= inputs.size();
          }
        }
        yield new Buf(first.shape.clone(), out);
      }
    };
  }

  /** Concatenation along {@code axis} (counting the batch axis). */
  private static Buf concatenate(int axis, List<Buf> inputs) {
    int[] shape = inputs.get(0).shape.clone();
    int outer = 1;
    for (int d = 0; d < axis; d++) {
      outer *= shape[d];
    }
    int[] blocks = new int[inputs.size()];
    int total = 0;
    shape[axis] = 0;
    for (int i = 0; i < blocks.length; i++) {
      Buf b = inputs.get(i);
      blocks[i] = b.data.length / outer;
      total += blocks[i];
      shape[axis] += b.shape[axis];
    }
    float[] out = new float[outer * total];
    for (int o = 0; o < outer; o++) {
      int pos = o * total;
      for (int i = 0; i < blocks.length; i++) {
        System.arraycopy(inputs.get(i).data, o * blocks[i], out, pos, blocks[i]);
        pos += blocks[i];
      }
    }
    return new Buf(shape, out);
  }

  /** The dot product of two (batch, n) inputs per row, of their L2-normalized rows with {@code normalize}. */
  private static Buf dot(boolean normalize, Buf x, Buf y) {
    int batch = x.dim(0);
    int n = x.dim(1);
    float[] out = new float[batch];
    for (int b = 0; b < batch; b++) {
      double sum = 0;
      double xx = 0;
      double yy = 0;
      for (int j = 0; j < n; j++) {
        double a = x.data[b * n + j];
        double c = y.data[b * n + j];
        sum += a * c;
        xx += a * a;
        yy += c * c;
      }
      // Keras' l2_normalize divides by sqrt(max(sum of squares, 1e-12))
      out[b] = (float) (normalize ? sum / Math.sqrt(Math.max(xx, 1e-12)) / Math.sqrt(Math.max(yy, 1e-12)) : sum);
    }
    return new Buf(new int[] {batch, 1}, out);
  }

  /**
   * Per sample, {@code x (T, H)} and {@code y (S, K)} contracted over one axis of each: the
   * remaining axis of {@code x}, then that of {@code y}; with normalize each along its axis first.
   */
  private static Buf dotMatrices(Merge layer, Buf x, Buf y) {
    int a = layer.dotAxis(0, 2);
    int b = layer.dotAxis(1, 2);
    int batch = x.dim(0);
    int xr = x.dim(1);
    int xc = x.dim(2);
    int yr = y.dim(1);
    int yc = y.dim(2);
    int n = a == 1 ? xc : xr; // the contracted length
    layer.checkContracted(n, b == 0 ? yr : yc);
    int p = a == 1 ? xr : xc;
    int q = b == 0 ? yc : yr;
    float[] out = new float[batch * p * q];
    for (int s = 0; s < batch; s++) {
      double[][] u = vectors(x.data, s * xr * xc, xr, xc, a == 1);
      double[][] v = vectors(y.data, s * yr * yc, yr, yc, b != 0);
      if (layer.normalize()) {
        normalizeRows(u);
        normalizeRows(v);
      }
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < q; j++) {
          double sum = 0;
          for (int k = 0; k < n; k++) {
            sum += u[i][k] * v[j][k];
          }
          out[(s * p + i) * q + j] = (float) sum;
        }
      }
    }
    return new Buf(new int[] {batch, p, q}, out);
  }

  /**
   * Backward of a {@code Dot} merge (vectors or matrices) from the gradient of its output: the
   * gradients of both inputs, through the L2 normalization when asked (whose clamp of a tiny sum
   * of squares passes no gradient to that sum, as TensorFlow's maximum does not).
   */
  static double[][] dotBackward(Merge layer, Buf x, Buf y, float[] dOut) {
    boolean vectors = x.shape.length == 2;
    int batch = x.dim(0);
    int xr = vectors ? 1 : x.dim(1);
    int xc = vectors ? x.dim(1) : x.dim(2);
    int yr = vectors ? 1 : y.dim(1);
    int yc = vectors ? y.dim(1) : y.dim(2);
    boolean xRows = vectors || layer.dotAxis(0, 2) == 1;
    boolean yRows = vectors || layer.dotAxis(1, 2) != 0;
    double[] dx = new double[x.data.length];
    double[] dy = new double[y.data.length];
    for (int s = 0; s < batch; s++) {
      double[][] u = vectors(x.data, s * xr * xc, xr, xc, xRows);
      double[][] v = vectors(y.data, s * yr * yc, yr, yc, yRows);
      double[] nu = layer.normalize() ? norms(u) : null;
      double[] nv = layer.normalize() ? norms(v) : null;
      int p = u.length;
      int q = v.length;
      int n = u[0].length;
      double[][] du = new double[p][n];
      double[][] dv = new double[q][n];
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < q; j++) {
          double d = dOut[(s * p + i) * q + j];
          for (int k = 0; k < n; k++) {
            du[i][k] += d * (nu == null ? v[j][k] : v[j][k] / nv[j]);
            dv[j][k] += d * (nu == null ? u[i][k] : u[i][k] / nu[i]);
          }
        }
      }
      if (nu != null) {
        unnormalize(u, nu, du);
        unnormalize(v, nv, dv);
      }
      scatter(du, dx, s * xr * xc, xc, xRows);
      scatter(dv, dy, s * yr * yc, yc, yRows);
    }
    return new double[][] {dx, dy};
  }

  /** Each row's L2 norm as Keras' l2_normalize takes it, {@code sqrt(max(sum of squares, 1e-12))}. */
  private static double[] norms(double[][] rows) {
    double[] n = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double ss = 0;
      for (double val : rows[i]) {
        ss += val * val;
      }
      n[i] = Math.sqrt(Math.max(ss, 1e-12));
    }
    return n;
  }

  /** From the gradient by normalized rows {@code r/n} to the gradient by the rows {@code r} (in place). */
  private static void unnormalize(double[][] rows, double[] norms, double[][] d) {
    for (int i = 0; i < rows.length; i++) {
      double dot = 0;
      for (int k = 0; k < rows[i].length; k++) {
        dot += d[i][k] * rows[i][k];
      }
      boolean clamped = norms[i] * norms[i] <= 1e-12;
      for (int k = 0; k < rows[i].length; k++) {
        double g = d[i][k] / norms[i];
        d[i][k] = clamped ? g : g - rows[i][k] * dot / (norms[i] * norms[i] * norms[i]);
      }
    }
  }

  /** Adds vectors' gradients back into a sample's {@code (rows, cols)} layout (the inverse of {@link #vectors}). */
  private static void scatter(double[][] d, double[] into, int offset, int cols, boolean keepRows) {
    for (int i = 0; i < d.length; i++) {
      for (int k = 0; k < d[i].length; k++) {
        into[offset + (keepRows ? i * cols + k : k * cols + i)] += d[i][k];
      }
    }
  }

  /**
   * One sample's {@code (rows, cols)} matrix in double as the vectors to contract: its rows as
   * they are, or (not {@code keepRows}) its columns.
   */
  private static double[][] vectors(float[] data, int offset, int rows, int cols, boolean keepRows) {
    double[][] m = keepRows ? new double[rows][cols] : new double[cols][rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double val = data[offset + i * cols + j];
        if (keepRows) {
          m[i][j] = val;
        } else {
          m[j][i] = val;
        }
      }
    }
    return m;
  }

  /** Keras' l2_normalize of each row: divided by sqrt(max(sum of squares, 1e-12)). */
  private static void normalizeRows(double[][] rows) {
    for (double[] r : rows) {
      double ss = 0;
      for (double v : r) {
        ss += v * v;
      }
      double norm = Math.sqrt(Math.max(ss, 1e-12));
      for (int k = 0; k < r.length; k++) {
        r[k] /= norm;
      }
    }
  }

  static Buf operation(Operation op, List<Buf> inputs) {
    Buf first = inputs.get(0);
    float[] out = new float[first.data.length];
    List<Float> operands = op.operands();
    for (int i = 0; i < out.length; i++) {
      int next = 0;
      float a = operands.get(0) != null ? operands.get(0) : inputs.get(next++).data[i];
      float b = operands.size() < 2 ? 0f : operands.get(1) != null ? operands.get(1) : inputs.get(next).data[i];
      out[i] = op.kind().apply(a, b);
    }
    return new Buf(first.shape.clone(), out);
  }

  static Buf rectify(Rectifier layer, LayerWeights weights, Buf x) {
    float[] out = new float[x.data.length];
    if (layer.kind() != Rectifier.Kind.PRELU) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) layer.apply(x.data[i], 0);
      }
      return new Buf(x.shape.clone(), out);
    }
    // alpha has the sample's shape with size 1 along its shared axes: broadcast by index
    Tensor alpha = weights.get(0);
    int[] sample = java.util.Arrays.copyOfRange(x.shape, 1, x.shape.length);
    int per = out.length / x.dim(0);
    int[] index = new int[sample.length];
    for (int e = 0; e < per; e++) {
      int rest = e;
      for (int d = sample.length - 1; d >= 0; d--) {
        index[d] = alpha.dim(d) == 1 ? 0 : rest % sample[d];
        rest /= sample[d];
      }
      float a = alpha.get(index);
      for (int b = 0; b < x.dim(0); b++) {
        out[b * per + e] = (float) layer.apply(x.data[b * per + e], a);
      }
    }
    return new Buf(x.shape.clone(), out);
  }

  static Buf rearrange(Rearrange layer, Buf x) {
    int[] sample = java.util.Arrays.copyOfRange(x.shape, 1, x.shape.length);
    int[] sources = layer.sources(sample);
    int[] outSample = layer.outputShape(sample);
    int batch = x.dim(0);
    int per = x.data.length / batch;
    float[] out = new float[batch * sources.length];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < sources.length; i++) {
        out[b * sources.length + i] = sources[i] < 0 ? 0f : x.data[b * per + sources[i]];
      }
    }
    int[] shape = new int[outSample.length + 1];
    shape[0] = batch;
    System.arraycopy(outSample, 0, shape, 1, outSample.length);
    return new Buf(shape, out);
  }
}

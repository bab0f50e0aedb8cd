package org.rnn4j.initializers;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * A (semi-)orthogonal matrix times {@code gain} (Keras {@code Orthogonal}): the Q factor of the
 * QR decomposition of a normal matrix of shape {@code (max(rows, cols), min(rows, cols))}, its
 * columns' signs fixed by the diagonal of R, transposed when there are fewer rows than columns.
 * Rows are the product of all but the last dimension.
 */
public record Orthogonal(double gain) implements Initializer {
  @Override
  public String kerasClassName() {
    return "Orthogonal";
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    if (shape.length < 2) {
      throw new InvalidModelException(
          "Orthogonal initializer needs at least 2 dimensions, got shape " + Shapes.format(shape));
    }
    int cols = shape[shape.length - 1];
    int rows = Shapes.elementCount(shape) / Math.max(1, cols);
    int m = Math.max(rows, cols);
    int n = Math.min(rows, cols);
    double[][] a = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = Sampling.normal(random);
      }
    }
    double[][] q = thinQ(a);
    float[] out = new float[rows * cols];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double v = gain * q[i][j];
        if (rows >= cols) {
          out[i * cols + j] = (float) v;
        } else {
          out[j * cols + i] = (float) v;
        }
      }
    }
    return out;
  }

  /**
   * Householder QR of an m-by-n matrix (m >= n). Returns the m-by-n Q with each column multiplied
   * by the sign of the matching diagonal element of R, which makes the factorization unique.
   */
  static double[][] thinQ(double[][] a) {
    int m = a.length;
    int n = a[0].length;
    double[][] r = new double[m][];
    for (int i = 0; i < m; i++) {
      r[i] = a[i].clone();
    }
    double[][] vs = new double[n][];
    double[] dot = new double[n];
    for (int k = 0; k < n; k++) {
      double norm = 0;
      for (int i = k; i < m; i++) {
        norm += r[i][k] * r[i][k];
      }
      norm = Math.sqrt(norm);
      double[] v = new double[m];
      if (norm > 0) {
        double alpha = r[k][k] > 0 ? -norm : norm;
        for (int i = k; i < m; i++) {
          v[i] = r[i][k];
        }
        v[k] -= alpha;
        double vnorm = 0;
        for (int i = k; i < m; i++) {
          vnorm += v[i] * v[i];
        }
        vnorm = Math.sqrt(vnorm);
        if (vnorm > 0) {
          for (int i = k; i < m; i++) {
            v[i] /= vnorm;
          }
          applyReflection(v, r, k, n, dot);
        }
      }
      vs[k] = v;
    }
    double[][] q = new double[m][n];
    for (int j = 0; j < n; j++) {
      q[j][j] = 1;
    }
    for (int k = n - 1; k >= 0; k--) {
      applyReflection(vs[k], q, k, n, dot);
    }
    for (int j = 0; j < n; j++) {
      if (r[j][j] < 0) {
        for (int i = 0; i < m; i++) {
          q[i][j] = -q[i][j];
        }
      }
    }
    return q;
  }

  /**
   * x := (I − 2 v vᵀ) x on x's columns from k (v is zero above row k; the columns before k are zero
   * from row k in Q, and in R below the diagonal, which is never read). Row by row — first every
   * column's vᵀx, then the update — so that the loops run along x's rows: column by column,
   * initializing an LSTM(1024) on 512 inputs took 78 s.
   */
  private static void applyReflection(double[] v, double[][] x, int k, int cols, double[] dot) {
    int m = x.length;
    Arrays.fill(dot, k, cols, 0);
    for (int i = k; i < m; i++) {
      double vi = v[i];
      double[] xi = x[i];
      for (int j = k; j < cols; j++) {
        dot[j] += vi * xi[j];
      }
    }
    for (int i = k; i < m; i++) {
      double twoVi = 2 * v[i];
      double[] xi = x[i];
      for (int j = k; j < cols; j++) {
        xi[j] -= twoVi * dot[j];
      }
    }
  }
}

package org.rnn4j.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.Tensor;
import org.rnn4j.Weights;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Sequential;

class InitializerTest {
  @Test
  void glorotUniformStaysWithinKerasLimit() {
    float[] w = VarianceScaling.glorotUniform().generate(new int[] {6, 16}, new SplittableRandom(1));
    double limit = Math.sqrt(6.0 / (6 + 16));
    double max = 0;
    for (float v : w) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= limit && max > 0.9 * limit, "max " + max + " vs limit " + limit);
  }

  @Test
  void orthogonalIsOrthogonalForTallAndWideShapes() {
    for (int[] shape : new int[][] {{4, 16}, {16, 4}, {5, 5}, {48, 192}, {130, 33}}) {
      float[] w = new Orthogonal(1.0).generate(shape, new SplittableRandom(3));
      int rows = shape[0];
      int cols = shape[1];
      // The smaller dimension's vectors are orthonormal.
      boolean rowsOrthonormal = rows <= cols;
      int n = Math.min(rows, cols);
      int len = Math.max(rows, cols);
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          double dot = 0;
          for (int k = 0; k < len; k++) {
            double x = rowsOrthonormal ? w[a * cols + k] : w[k * cols + a];
            double y = rowsOrthonormal ? w[b * cols + k] : w[k * cols + b];
            dot += x * y;
          }
          assertEquals(a == b ? 1.0 : 0.0, dot, 1e-6, Arrays.toString(shape) + " vectors " + a + ", " + b);
        }
      }
    }
  }

  /** Q from thinQ and R = QᵀA in float64: Q·R gives A back, R is upper triangular with a positive diagonal. */
  @Test
  void thinQIsTheQOfTheQrWithPositiveDiagonal() {
    SplittableRandom rnd = new SplittableRandom(9);
    int m = 70;
    int n = 23;
    double[][] a = new double[m][n];
    for (double[] row : a) {
      for (int j = 0; j < n; j++) {
        row[j] = rnd.nextDouble(-1, 1);
      }
    }
    double[][] q = Orthogonal.thinQ(a);
    double[][] r = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < m; k++) {
          r[i][j] += q[k][i] * a[k][j];
        }
        if (i > j) {
          assertEquals(0, r[i][j], 1e-12, "R below the diagonal at " + i + "," + j);
        }
      }
      assertTrue(r[i][i] > 0, "R's diagonal at " + i + ": " + r[i][i]);
    }
    for (int k = 0; k < m; k++) {
      for (int j = 0; j < n; j++) {
        double qr = 0;
        for (int i = 0; i < n; i++) {
          qr += q[k][i] * r[i][j];
        }
        assertEquals(a[k][j], qr, 1e-12, "Q·R at " + k + "," + j);
      }
    }
  }

  @Test
  void lstmBiasHasUnitForgetBias() {
    float[] b = new UnitForgetBias(new Zeros(), 3).generate(new int[] {12}, new SplittableRandom(0));
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, b);
    float[] c = new UnitForgetBias(new Constant(0.03), 2).generate(new int[] {8}, new SplittableRandom(0));
    assertArrayEquals(new float[] {0.03f, 0.03f, 1, 1, 0.03f, 0.03f, 0.03f, 0.03f}, c);
  }

  @Test
  void sameSeedGivesSameWeightsAndOtherSeedsDiffer() {
    Sequential arch = Sequential.of(InputSpec.sequence(6), LSTM.of(4));
    Weights a = Weights.initialize(arch, 42);
    Weights b = Weights.initialize(arch, 42);
    Weights c = Weights.initialize(arch, 43);
    assertEquals(a.values(), b.values());
    assertNotEquals(a.get(0), c.get(0));
    assertEquals(Tensor.of(0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0), a.get(2));
  }

  @Test
  void truncatedNormalStaysWithinTwoStddev() {
    float[] w = new TruncatedNormal(0, 0.5).generate(new int[] {1000}, new SplittableRandom(5));
    for (float v : w) {
      assertTrue(Math.abs(v) <= 1.0f);
    }
    float[] g = VarianceScaling.heNormal().generate(new int[] {200, 50}, new SplittableRandom(5));
    double var = 0;
    for (float v : g) {
      var += v * v;
    }
    var /= g.length;
    assertEquals(2.0 / 200, var, 0.1 * 2.0 / 200, "He normal variance");
  }
}

package org.rnn4j.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Activation;

/**
 * The kernels' sigmoid and tanh (plain Java and, where the JVM has it, the Vector API) against
 * their definitions in double: within 3 ulp of the correctly rounded value over a dense sweep of
 * [−100, 100] (and 1e-38 absolute where the sigmoid is subnormal), exact at the special values, on
 * rows at an offset whose neighbours stay untouched — rows long and short, as the plain kernel takes
 * rows shorter than {@link ScalarSimd#WIDE} element by element.
 */
class ActivationKernelsTest {
  private static final double ULPS = 3;

  @Test
  void sigmoidAndTanhWithinThreeUlpOfTheirDefinitions() {
    for (Simd simd : new Simd[] {SimdProvider.scalar(), SimdProvider.best()}) {
      for (Activation f : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
        int n = 200_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
          // dense near zero, where tanh's relative precision is hardest to keep, wide elsewhere
          double s = (i - n / 2) / (double) (n / 2);
          x[i] = (float) (100 * s * s * s);
        }
        for (int chunk : new int[] {1000, 37}) { // rows as a cell's gates come: one activation call per row
          float[] y = x.clone();
          for (int off = 0; off < n; off += chunk) {
            simd.activate(f, y, off, Math.min(chunk, n - off), Math.min(chunk, n - off));
          }
          assertWithinUlps(simd.name() + " " + f + ", rows of " + chunk, f, x, y);
        }
      }
    }
  }

  private static void assertWithinUlps(String what, Activation f, float[] x, float[] y) {
    int n = x.length;
    double worst = 0;
    float worstAt = 0;
    for (int i = 0; i < n; i++) {
      double exact = definition(f, x[i]);
      double err = Math.abs(y[i] - exact);
      if (Math.abs(exact) < Float.MIN_NORMAL) {
        assertTrue(err <= 1e-38, what + ": (" + x[i] + ") = " + y[i] + ", expected " + exact);
        continue;
      }
      double ulps = err / Math.ulp((float) exact);
      if (ulps > worst) {
        worst = ulps;
        worstAt = x[i];
      }
    }
    assertTrue(worst <= ULPS, what + ": " + worst + " ulp at x = " + worstAt);
  }

  /** The plain kernel's short rows (element by element) and long rows (vectorized passes) give the same bits. */
  @Test
  void plainKernelShortAndLongRowsAgreeBitForBit() {
    Simd simd = SimdProvider.scalar();
    SplittableRandom rnd = new SplittableRandom(5);
    float[] x = new float[4 * ScalarSimd.WIDE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextDouble(-30, 30) * Math.pow(10, -rnd.nextInt(8)));
    }
    for (Activation f : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
      float[] whole = x.clone();
      simd.activate(f, whole, 0, whole.length, whole.length);
      float[] pieces = x.clone();
      int piece = ScalarSimd.WIDE - 1;
      for (int off = 0; off < pieces.length; off += piece) {
        int len = Math.min(piece, pieces.length - off);
        simd.activate(f, pieces, off, len, len);
      }
      for (int i = 0; i < x.length; i++) {
        assertEquals(Float.floatToIntBits(whole[i]), Float.floatToIntBits(pieces[i]), f + "(" + x[i] + ")");
      }
    }
  }

  /**
   * Plain Java and the Vector API give the same bits for every element-wise activation, on long rows
   * and short ones (sigmoid and tanh from the same steps, the vector tails included). Needs the
   * Vector API (skipped in the plain-Java run).
   */
  @Test
  void plainAndVectorKernelsGiveTheSameBits() {
    Simd vector = SimdProvider.best();
    assumeTrue(vector.usesPanels(), "the Vector API is not in this JVM");
    SplittableRandom rnd = new SplittableRandom(6);
    float[] x = new float[300_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 3 == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (float) (rnd.nextDouble(-30, 30) * Math.pow(10, -rnd.nextInt(12)));
    }
    for (Activation f : Activation.values()) {
      if (!f.elementwise()) {
        continue;
      }
      for (int row : new int[] {4096, ScalarSimd.WIDE - 1, 16}) {
        float[] p = x.clone();
        float[] v = x.clone();
        for (int off = 0; off < x.length; off += row) {
          int len = Math.min(row, x.length - off);
          SimdProvider.scalar().activate(f, p, off, len, len);
          vector.activate(f, v, off, len, len);
        }
        for (int i = 0; i < x.length; i++) {
          assertEquals(Float.floatToIntBits(p[i]), Float.floatToIntBits(v[i]), f + "(" + x[i] + "), rows of " + row);
        }
      }
    }
  }

  @Test
  void specialValuesAndNeighbours() {
    float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, 88.5f, -88.5f, 1e4f, -1e4f, Float.MAX_VALUE, -Float.MAX_VALUE};
    for (Simd simd : new Simd[] {SimdProvider.scalar(), SimdProvider.best()}) {
      for (Activation f : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
        checkSpecialValues(simd, f, special);
        float[] repeated = new float[special.length * 10]; // long enough for the plain kernel's vectorized passes
        for (int i = 0; i < repeated.length; i++) {
          repeated[i] = special[i % special.length];
        }
        checkSpecialValues(simd, f, repeated);
      }
    }
  }

  private static void checkSpecialValues(Simd simd, Activation f, float[] special) {
    int off = 5;
    int room = Packed.roundUp(special.length, Packed.NR);
    float[] row = new float[off + room + 4];
    Arrays.fill(row, 7f);
    System.arraycopy(special, 0, row, off, special.length);
    simd.activate(f, row, off, special.length, room);
    for (int i = 0; i < special.length; i++) {
      float v = special[i];
      float expected = (float) definition(f, v);
      float actual = row[off + i];
      if (Float.isNaN(v)) {
        assertTrue(Float.isNaN(actual), simd.name() + " " + f + "(NaN) = " + actual);
      } else if (f == Activation.TANH && Math.abs(v) < 1e-20f) {
        assertEquals(Float.floatToIntBits(v), Float.floatToIntBits(actual), simd.name() + " tanh keeps " + v + " and its sign");
      } else if (f == Activation.SIGMOID && v < -87f) {
        assertTrue(actual >= 0f && actual <= 1e-38f, simd.name() + " sigmoid(" + v + ") = " + actual);
      } else {
        assertEquals(expected, actual, Math.ulp(expected), simd.name() + " " + f + "(" + v + ")");
      }
    }
    for (int i = 0; i < off; i++) {
      assertEquals(7f, row[i], "before the row");
    }
    for (int i = off + room; i < row.length; i++) {
      assertEquals(7f, row[i], "after the row's room");
    }
  }

  /** The activations from their definitions, in double. */
  private static double definition(Activation f, float v) {
    double x = v;
    return f == Activation.TANH ? Math.tanh(x) : x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
}

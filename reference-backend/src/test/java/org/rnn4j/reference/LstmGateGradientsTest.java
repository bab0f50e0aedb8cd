package org.rnn4j.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both kernels' element-wise LSTM backward step ({@link Simd#lstmGateGradients}: plain Java over
 * lanes, the Vector API row by row) against its definition evaluated in float64 from the same
 * float32 inputs, within 8e-6 absolute (a few float32 roundings of terms below 4), and against each
 * other bit for bit: rows at offsets and strides as the backward pass gives them, with and without
 * a gradient from outside the cell, padded gate
 * blocks, widths with and without a tail past the last whole vector, masked rows left untouched.
 * The build runs it with the Vector API's widest vectors, at 256 bits, and in plain Java alone.
 */
class LstmGateGradientsTest {
  private static final int ROWS = 5;
  private static final boolean[] ACTIVE = {true, false, true, true, false};

  @Test
  void bothKernelsFollowTheDefinitionAndAgreeBitForBit() {
    for (int u : new int[] {3, 16, 21, 64, 256}) {
      for (boolean outside : new boolean[] {false, true}) {
        for (long seed : new long[] {7, 8}) {
          check(u, outside, seed);
        }
      }
    }
  }

  /** u units a row, with or without a gradient from outside, φ(c') at an offset for even seeds. */
  private static void check(int u, boolean outside, long seed) {
    Case scalar = new Case(u, seed, outside);
    Case best = new Case(u, seed, outside);
    scalar.run(SimdProvider.scalar());
    best.run(SimdProvider.best());
    Case untouched = new Case(u, seed, outside);
    for (int r = 0; r < ROWS; r++) {
      for (int j = 0; j < u; j++) {
        for (int gate = 0; gate < 4; gate++) {
          int at = r * scalar.outStride + gate * u + j;
          assertEquals(Float.floatToIntBits(scalar.out[at]), Float.floatToIntBits(best.out[at]), "u " + u + " out " + at);
        }
        int h = scalar.hOff + r * u + j;
        assertEquals(Float.floatToIntBits(scalar.dc[h]), Float.floatToIntBits(best.dc[h]), "u " + u + " dc " + h);
        assertEquals(Float.floatToIntBits(scalar.dh[h]), Float.floatToIntBits(best.dh[h]), "u " + u + " dh " + h);
        float dhExpected = outside ? untouched.dh[h] + untouched.dOutside[untouched.outsideOff + r * u + j] : untouched.dh[h];
        assertEquals(dhExpected, scalar.dh[h], "every row's dh gets the gradient from outside");
        if (ACTIVE[r]) {
          scalar.assertDefinition(untouched, r, j);
        } else {
          assertEquals(untouched.dc[h], scalar.dc[h], "a masked row's dc is left alone");
          for (int gate = 0; gate < 4; gate++) {
            assertEquals(-7f, scalar.out[r * scalar.outStride + gate * u + j], "a masked row's gradients are left alone");
          }
        }
      }
    }
    // nothing written outside the rows' ranges
    for (int i = 0; i < scalar.dc.length; i++) {
      if (i < scalar.hOff || i >= scalar.hOff + ROWS * u) {
        assertEquals(untouched.dc[i], best.dc[i], "dc outside the block, " + i);
        assertEquals(untouched.dh[i], best.dh[i], "dh outside the block, " + i);
      }
    }
    for (int r = 0; r < ROWS; r++) {
      for (int i = 4 * u; i < best.outStride; i++) {
        assertEquals(-7f, best.out[r * best.outStride + i], "out past a row's gates");
      }
    }
  }

  /** One block's inputs at offsets, from a seed: activated gates in (0, 1) and (−1, 1) as the forward leaves them. */
  private static final class Case {
    final int u;
    final int pu;
    final int aStride;
    final int aOff;
    final int cOff;
    final int hOff;
    final int outStride;
    final float[] a;
    final float[] tanhC;
    /** Where the block's φ(c') starts in tanhC: 0 for odd seeds, past a row and a bit for even ones. */
    final int tanhOff;
    final float[] cPrev;
    final float[] dOutside;
    final int outsideOff;
    final float[] dh;
    final float[] dc;
    final float[] out;

    Case(int u, long seed, boolean outside) {
      SplittableRandom rnd = new SplittableRandom(seed);
      this.u = u;
      pu = Packed.roundUp(u, Packed.NR);
      aStride = 4 * pu + 16; // rows further apart than their gates, as a recording's rows may be
      aOff = 3 * aStride;
      cOff = 2 * u + 1;
      hOff = 3 * u + 2;
      outStride = 4 * u + 5;
      a = new float[aOff + ROWS * aStride];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) rnd.nextDouble(0.001, 0.999);
      }
      for (int r = 0; r < ROWS; r++) {
        for (int j = 0; j < u; j++) {
          a[aOff + r * aStride + 2 * pu + j] = (float) rnd.nextDouble(-0.999, 0.999); // g: tanh
        }
      }
      tanhOff = seed % 2 == 1 ? 0 : u + 7;
      tanhC = filled(rnd, tanhOff + ROWS * u + Packed.NR, -0.99, 0.99);
      cPrev = filled(rnd, cOff + ROWS * u + 3, -2, 2);
      dh = filled(rnd, hOff + ROWS * u + 3, -1, 1);
      dc = filled(rnd, hOff + ROWS * u + 3, -1, 1);
      outsideOff = u + 3;
      dOutside = outside ? filled(rnd, outsideOff + ROWS * u + 3, -1, 1) : null;
      out = new float[ROWS * outStride];
      java.util.Arrays.fill(out, -7f);
    }

    private static float[] filled(SplittableRandom rnd, int n, double lo, double hi) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) rnd.nextDouble(lo, hi);
      }
      return x;
    }

    void run(Simd simd) {
      simd.lstmGateGradients(ROWS, ACTIVE, a, aOff, aStride, pu, tanhC, tanhOff, cPrev, cOff, dOutside, outsideOff, dh, dc, hOff, out,
          outStride, u);
    }

    /** Row r, unit j of this case's results against the definition in float64 from {@code in}'s inputs. */
    void assertDefinition(Case in, int r, int j) {
      int p = aOff + r * aStride + j;
      double i = in.a[p];
      double f = in.a[p + pu];
      double g = in.a[p + 2 * pu];
      double o = in.a[p + 3 * pu];
      double t = in.tanhC[in.tanhOff + r * u + j];
      int h = hOff + r * u + j;
      double dhj = in.dh[h] + (in.dOutside == null ? 0 : (double) in.dOutside[in.outsideOff + r * u + j]);
      double dcTotal = in.dc[h] + dhj * o * (1 - t * t);
      double[] expected = {
        dcTotal * g * i * (1 - i), dcTotal * in.cPrev[cOff + r * u + j] * f * (1 - f), dcTotal * i * (1 - g * g), dhj * t * o * (1 - o)
      };
      for (int gate = 0; gate < 4; gate++) {
        assertClose(expected[gate], out[r * outStride + gate * u + j], "u " + u + " row " + r + " gate " + gate + " unit " + j);
      }
      assertClose(dcTotal * f, dc[h], "u " + u + " row " + r + " dc " + j);
    }

    private static void assertClose(double expected, float actual, String what) {
      // a few float32 roundings of terms no larger than 4 in magnitude
      assertTrue(Math.abs(actual - expected) <= 2e-6 * 4, what + ": " + actual + ", expected " + expected);
    }
  }
}

package org.rnn4j.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both GEMM kernels (plain Java and, where the JVM has it, the Vector API) against a float64 product
 * of the Keras-layout matrices, over the shapes that reach their edges: tail rows (m not a multiple
 * of the row block), odd and long k (tail k-rows, several k-blocks), gate blocks with padding,
 * column ranges within a gate, and accumulation into C with strides and offsets. The build runs it
 * with the Vector API's widest vectors and again at 256 bits.
 */
class GemmKernelsTest {
  @Test
  void packedLayoutsHoldTheKerasMatrixInBothForms() {
    SplittableRandom rnd = new SplittableRandom(3);
    int rows = 5;
    int gates = 3;
    int units = 20; // padded to 32 per gate
    float[] w = random(rnd, rows * gates * units);
    Packed p = Packed.of(w, rows, gates, units);
    float[][] byRow = p.rowArrays();
    float[] panels = p.panels();
    for (int k = 0; k < rows; k++) {
      for (int g = 0; g < gates; g++) {
        for (int u = 0; u < p.paddedUnits; u++) {
          int q = g * p.paddedUnits + u;
          float expected = packedElement(w, p, k, q);
          assertEquals(expected, byRow[k][q], "row layout " + k + "," + q);
          assertEquals(expected, panels[panelIndex(p, k, q)], "panel layout " + k + "," + q);
        }
      }
    }
  }

  /**
   * Rows put a few at a time, from a block that holds only them, into a matrix whose arrays hold
   * stale values (as reused arrays do): every element they cover is the Keras matrix's, every
   * padding element zero, in the layout the kernels read.
   */
  @Test
  void rowsPutInBlocksOverwriteStaleArrays() {
    SplittableRandom rnd = new SplittableRandom(4);
    int rows = 11;
    int gates = 3;
    int units = 20;
    int logical = gates * units;
    float[] w = random(rnd, rows * logical);
    Packed p = Packed.empty(rows, gates, units, SimdProvider.best(), null);
    boolean panelLayout = SimdProvider.best().usesPanels();
    if (panelLayout) {
      Arrays.fill(p.panels(), Float.NaN);
    } else {
      for (float[] row : p.rowArrays()) {
        Arrays.fill(row, Float.NaN);
      }
    }
    for (int r0 = 0; r0 < rows; r0 += 3) {
      int count = Math.min(3, rows - r0);
      p.putRows(Arrays.copyOfRange(w, r0 * logical, (r0 + count) * logical), 0, r0, count);
    }
    for (int k = 0; k < rows; k++) {
      for (int q = 0; q < p.cols; q++) {
        float actual = panelLayout ? p.panels()[panelIndex(p, k, q)] : p.rowArrays()[k][q];
        assertEquals(packedElement(w, p, k, q), actual, (panelLayout ? "panel" : "row") + " layout " + k + "," + q);
      }
    }
  }

  /**
   * A buffer reused for a matrix of fewer rows ({@link Packed#withRows}), its arrays holding the
   * larger matrix before: the product of its rows is that of the same rows packed anew, in both
   * kernels, bit for bit.
   */
  @Test
  void aBufferReusedForFewerRowsHoldsThemAsItsOwn() {
    SplittableRandom rnd = new SplittableRandom(5);
    int units = 40;
    int cols = Packed.roundUp(units, Packed.NR);
    for (Simd simd : new Simd[] {SimdProvider.scalar(), SimdProvider.best()}) {
      Packed buffer = Packed.empty(300, 1, units, simd, null);
      buffer.putRows(random(rnd, 300 * units), 0, 0, 300);
      int rows = 137;
      float[] w = random(rnd, rows * units);
      Packed reused = buffer.withRows(rows);
      reused.putRows(w, 0, 0, rows);
      float[] a = random(rnd, 9 * rows);
      float[] expected = new float[9 * cols];
      float[] actual = new float[9 * cols];
      simd.gemm(a, 0, rows, 9, Packed.of(w, rows, 1, units), 0, cols, expected, 0, cols, false);
      simd.gemm(a, 0, rows, 9, reused, 0, cols, actual, 0, cols, false);
      assertSameBits(expected, actual, simd.name());
    }
  }

  /** Element (k, q) of {@code p} packed from the Keras-layout {@code w}: the gate's unit, or zero in its padding. */
  private static float packedElement(float[] w, Packed p, int k, int q) {
    int g = q / p.paddedUnits;
    int u = q % p.paddedUnits;
    return u < p.units ? w[k * p.gates * p.units + g * p.units + u] : 0f;
  }

  /** Where element (k, q) lies in the panel layout. */
  private static int panelIndex(Packed p, int k, int q) {
    return ((q / Packed.NR) * p.rows + k) * Packed.NR + q % Packed.NR;
  }

  @Test
  void plainKernelAccumulatorRowsLieApartModulo4KiB() {
    // rows allocated one after the other must not start a few bytes from a multiple of 4 KiB apart
    for (int cols : new int[] {16, 512, 1000, 1024, 2048, 3072, 4096, 5000}) {
      int length = ScalarSimd.accumulatorLength(cols);
      assertTrue(length >= cols, "room for " + cols + " columns");
      assertEquals(512, (4 * length) % 4096, "row data of " + cols + " columns, in bytes modulo 4 KiB");
    }
  }

  @Test
  void bothKernelsMatchAFloat64Product() {
    SplittableRandom rnd = new SplittableRandom(11);
    int[][] shapes = { // m, k, gates, units
        {1, 7, 4, 5}, {3, 1, 1, 16}, {4, 2, 3, 17}, {5, 3, 1, 40}, {13, 129, 4, 33}, {32, 300, 4, 130}, {9, 64, 1, 600},
        {7, 140, 4, 300}, // gate blocks side by side past one block of columns
        {6, 20, 4, 600}, {5, 30, 1, 1100}, // column blocks of equal width: 3 of 816, 816, 800; 2 of 552
        {1, 33, 1, 300}, {1, 9, 4, 130}}; // single rows: groups of eight vectors and leftover panels
    for (Simd simd : new Simd[] {SimdProvider.scalar(), SimdProvider.best()}) {
      for (int[] s : shapes) {
        for (boolean accumulate : new boolean[] {false, true}) {
          check(simd, rnd, s[0], s[1], s[2], s[3], 0, Packed.roundUp(s[3], Packed.NR), accumulate);
        }
      }
      check(simd, rnd, 6, 20, 3, 48, 16, 32, true); // one panel of units inside each gate
    }
  }

  /**
   * A block of columns alone gives the bits it has in the product of every column at once: the
   * plain kernel's loops for narrow column ranges (fewer than {@link ScalarSimd#WIDE}) and for wide
   * ones, and the Vector API's tiles that read A in place (fewer than {@link
   * VectorSimd#IN_PLACE_PANELS} panels) and those that read it packed, add the same products in
   * the same order. A partial tile of rows, and k past one slice (256).
   */
  @Test
  void narrowAndWideColumnRangesAgreeBitForBit() {
    SplittableRandom rnd = new SplittableRandom(13);
    int m = 11;
    int k = 300;
    int gates = 4;
    int units = 160; // 40 panels in all; the narrow range's 12 are read in place by the 512-bit tiles
    Packed b = Packed.of(random(rnd, k * gates * units), k, gates, units);
    float[] a = random(rnd, m * k);
    for (Simd simd : new Simd[] {SimdProvider.scalar(), SimdProvider.best()}) {
      float[] whole = new float[m * b.cols];
      simd.gemm(a, 0, k, m, b, 0, units, whole, 0, b.cols, false); // 640 columns at once
      float[] narrow = new float[m * b.cols];
      simd.gemm(a, 0, k, m, b, 32, 80, narrow, 0, b.cols, false); // 48 columns of each gate, gate by gate
      for (int r = 0; r < m; r++) {
        for (int g = 0; g < gates; g++) {
          for (int u = 32; u < 80; u++) {
            int at = r * b.cols + g * b.paddedUnits + u;
            assertEquals(Float.floatToIntBits(whole[at]), Float.floatToIntBits(narrow[at]),
                simd.name() + " (" + r + "," + (g * b.paddedUnits + u) + ")");
          }
        }
      }
    }
  }

  /**
   * Plain Java and the Vector API sum in one order ({@link Simd#gemm}), so they give the same
   * bits: single rows and blocks of rows, k within one of the blocked kernels' slices (256), at its
   * end and past it, leftover panels of a single row, column ranges narrow and wide, both strides
   * of A, with and without accumulation. Needs the Vector API (skipped in the plain-Java run).
   */
  @Test
  void plainAndVectorKernelsGiveTheSameBits() {
    Simd vector = SimdProvider.best();
    assumeTrue(vector.usesPanels(), "the Vector API is not in this JVM");
    Simd plain = SimdProvider.scalar();
    SplittableRandom rnd = new SplittableRandom(21);
    int[][] shapes = { // m, k, gates, units
        {1, 6, 4, 4}, {1, 257, 4, 5}, {1, 600, 1, 40}, {1, 300, 4, 130}, {2, 255, 4, 33}, {3, 256, 3, 17}, {5, 257, 1, 600},
        {8, 513, 4, 64}, {9, 100, 4, 300}, {17, 700, 1, 1100}, {33, 40, 4, 256}};
    for (int[] s : shapes) {
      int m = s[0];
      int k = s[1];
      int padded = Packed.roundUp(s[3], Packed.NR);
      Packed b = Packed.of(random(rnd, k * s[2] * s[3]), k, s[2], s[3]);
      float[] a = random(rnd, m * k + 3 * k);
      float[] c = random(rnd, m * b.cols);
      int[][] ranges = padded > 32 ? new int[][] {{0, padded}, {16, 32}} : new int[][] {{0, padded}};
      for (int[] range : ranges) {
        for (boolean accumulate : new boolean[] {false, true}) {
          for (int[] strides : new int[][] {{k, 1}, {1, m + 3}}) {
            float[] p = c.clone();
            float[] v = c.clone();
            plain.gemm(a, 0, strides[0], strides[1], m, b, range[0], range[1], p, 0, b.cols, accumulate);
            vector.gemm(a, 0, strides[0], strides[1], m, b, range[0], range[1], v, 0, b.cols, accumulate);
            String what = vector.name() + " m=" + m + " k=" + k + " units " + Arrays.toString(range) + " of " + s[2] + "×" + s[3]
                + " acc=" + accumulate + " strides " + Arrays.toString(strides);
            assertSameBits(p, v, what);
          }
        }
      }
    }
  }

  /**
   * A row's sums do not depend on the rows beside it (how the threads split a product): every row
   * of a block computed alone gives the block's bits, in both kernels.
   */
  @Test
  void aRowAloneGivesTheBitsItHasInABlock() {
    SplittableRandom rnd = new SplittableRandom(22);
    int m = 11;
    int k = 600;
    Packed b = Packed.of(random(rnd, k * 4 * 70), k, 4, 70);
    float[] a = random(rnd, m * k);
    float[] c = random(rnd, m * b.cols);
    for (Simd simd : new Simd[] {SimdProvider.scalar(), SimdProvider.best()}) {
      float[] block = c.clone();
      simd.gemm(a, 0, k, m, b, 0, b.paddedUnits, block, 0, b.cols, true);
      float[] rows = c.clone();
      for (int r = 0; r < m; r++) {
        simd.gemm(a, r * k, k, 1, b, 0, b.paddedUnits, rows, r * b.cols, b.cols, true);
      }
      assertSameBits(block, rows, simd.name());
    }
  }

  private static void assertSameBits(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      int at = i;
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
          () -> what + ": element " + at + ", " + expected[at] + " vs " + actual[at]);
    }
  }

  /** A read in place as the transpose of a row-major matrix, and as a row of ones (both strides 0). */
  @Test
  void bothKernelsReadAnyStridesOfA() {
    SplittableRandom rnd = new SplittableRandom(12);
    int[][] shapes = {{1, 9, 1, 40}, {5, 3, 1, 16}, {13, 300, 1, 130}, {161, 600, 1, 70}};
    for (Simd simd : new Simd[] {SimdProvider.scalar(), SimdProvider.best()}) {
      for (int[] s : shapes) {
        check(simd, rnd, s[0], s[1], s[2], s[3], 0, Packed.roundUp(s[3], Packed.NR), false, 1, s[0] + 3);
        check(simd, rnd, s[0], s[1], s[2], s[3], 0, Packed.roundUp(s[3], Packed.NR), true, 0, 0);
      }
    }
  }

  private static void check(Simd simd, SplittableRandom rnd, int m, int k, int gates, int units, int u0, int u1, boolean accumulate) {
    check(simd, rnd, m, k, gates, units, u0, u1, accumulate, k + 3, 1);
  }

  /** A's element (r, kk) at {@code a[2 + r·rs + kk·ks]}. */
  private static void check(Simd simd, SplittableRandom rnd, int m, int k, int gates, int units, int u0, int u1, boolean accumulate,
      int rs, int ks) {
    float[] w = random(rnd, k * gates * units);
    Packed b = Packed.of(w, k, gates, units);
    int aOff = 2;
    float[] a = random(rnd, aOff + 1 + (m - 1) * rs + (k - 1) * ks);
    if (rs == 0 && ks == 0) {
      a[aOff] = 1f;
    }
    int ldc = b.cols + 5;
    int cOff = 7;
    float[] c = random(rnd, cOff + m * ldc);
    float[] before = c.clone();
    simd.gemm(a, aOff, rs, ks, m, b, u0, u1, c, cOff, ldc, accumulate);
    String what = simd.name() + " m=" + m + " k=" + k + " gates=" + gates + " units=" + units + " [" + u0 + "," + u1 + ") acc=" + accumulate
        + " strides " + rs + "," + ks;
    for (int r = 0; r < m; r++) {
      for (int g = 0; g < gates; g++) {
        for (int u = 0; u < b.paddedUnits; u++) {
          int q = g * b.paddedUnits + u;
          int at = cOff + r * ldc + q;
          if (u < u0 || u >= u1) {
            assertEquals(before[at], c[at], what + ": column " + q + " outside the range is untouched");
            continue;
          }
          double exact = accumulate ? before[at] : 0;
          double magnitude = Math.abs(exact);
          for (int kk = 0; kk < k; kk++) {
            double wv = u < units ? w[kk * gates * units + g * units + u] : 0;
            exact += a[aOff + r * rs + kk * ks] * wv;
            magnitude += Math.abs(a[aOff + r * rs + kk * ks] * wv);
          }
          // float32 summation of k + 1 terms: at most (k + 1) roundings of 2^-24 of the running magnitude
          double bound = (k + 1) * 0x1p-24 * magnitude + 1e-30;
          assertTrue(Math.abs(c[at] - exact) <= bound, what + ": (" + r + "," + q + ") " + c[at] + " vs " + exact);
        }
      }
    }
    for (int i = 0; i < cOff; i++) {
      assertEquals(before[i], c[i], what + ": C before its offset is untouched");
    }
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
    }
    return x;
  }
}

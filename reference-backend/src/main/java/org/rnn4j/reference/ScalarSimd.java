package org.rnn4j.reference;

import org.rnn4j.layers.Activation;

/**
 * The kernels in plain Java, written so that HotSpot's auto-vectorizer takes them: the GEMM's
 * inner loop is a multiply-add of one row of B into the accumulator rows of up to four rows of A,
 * every array indexed by the loop variable alone (an offset on any of them stops C2 from
 * vectorizing, as it cannot rule out that two arrays overlap at that distance).
 */
final class ScalarSimd implements Simd {
  /** Rows of A per pass: each row of B is loaded once for four multiply-adds. */
  private static final int ROWS = 4;
  /**
   * Columns per block: four accumulator rows of this width (16 KiB) stay in the L1 cache. Long
   * rows matter: each call of a kernel loop runs up to a vector's width of scalar iterations before
   * and after its vector loop (with 512-bit vectors, sixteen a side), so the gate blocks side by side
   * are one range, not one call each (W3's step, one thread, alternated in one JVM: a call per
   * 256-column gate block 30.0 against 33.3 GFLOP/s for 512-column ranges; in another run 1024
   * columns 41.8 against 40.2 for 512).
   */
  private static final int NC = 1024;
  /** Rows of B per block: a KC × NC block of B (512 KiB) stays in L2 while every row of A passes. */
  private static final int KC = 128;
  /**
   * The narrowest column range (and shortest activation row) the vectorized loops are given;
   * narrower ones go to loops of their own. HotSpot unrolls a loop no further than the trip count
   * it has profiled, and compiles it once: a kernel first run on a small model's 64 columns stays
   * unrolled for 64 and runs a large model at half speed (W3's step after a small model's products
   * in one JVM, one thread: 49 against 88 GFLOP/s).
   */
  static final int WIDE = 128;
  /** Per-thread accumulator rows, reused so that a product allocates nothing once warm. */
  private static final ThreadLocal<float[][]> ACC = ThreadLocal.withInitial(() -> new float[ROWS][0]);

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public boolean usesPanels() {
    return false;
  }

  @Override
  public void gemm(float[] a, int aOff, int rowStride, int kStride, int m, Packed b, int u0, int u1, float[] c, int cOff, int ldc,
      boolean accumulate) {
    final float[][] w = b.rowArrays();
    final int k = b.rows;
    final float[][] acc = accumulators(b.cols);
    final int uEnd = Math.min(b.paddedUnits, Packed.roundUp(u1, Packed.NR));
    // every gate's units: the gate blocks side by side are one range of columns
    final boolean whole = u0 == 0 && uEnd == b.paddedUnits;
    final int ranges = whole ? 1 : b.gates;
    final int span = whole ? b.cols : uEnd - u0;
    // blocks of equal width, so that none is narrower than it need be (see WIDE)
    final int blocks = (span + NC - 1) / NC;
    final int width = Packed.roundUp((span + blocks - 1) / blocks, Packed.NR);
    for (int g = 0; g < ranges; g++) {
      int gStart = g * b.paddedUnits + u0;
      int gEnd = gStart + span;
      for (int j0 = gStart; j0 < gEnd; j0 += width) {
        int j1 = Math.min(gEnd, j0 + width);
        for (int k0 = 0; k0 < k; k0 += KC) {
          int k1 = Math.min(k, k0 + KC);
          boolean add = accumulate || k0 > 0;
          for (int r = 0; r < m; r += ROWS) {
            block(a, aOff + r * rowStride, rowStride, kStride, Math.min(ROWS, m - r), w, k0, k1, j0, j1, acc, c, cOff + r * ldc, ldc, add);
          }
        }
      }
    }
  }

  /** {@code rows} (≤ 4) rows of C, columns [j0, j1), plus the products over B's rows [k0, k1) (A's strides as in {@link #gemm}). */
  private static void block(float[] a, int ai, int rs, int ks, int rows, float[][] w, int k0, int k1, int j0, int j1, float[][] acc,
      float[] c, int ci, int ldc, boolean add) {
    for (int i = 0; i < rows; i++) {
      if (add) {
        System.arraycopy(c, ci + i * ldc + j0, acc[i], j0, j1 - j0);
      } else {
        java.util.Arrays.fill(acc[i], j0, j1, 0f);
      }
    }
    if (j1 - j0 < WIDE) {
      narrowBlock(a, ai, rs, ks, rows, w, k0, k1, j0, j1, acc);
    } else if (rows == ROWS) {
      int a1 = ai + rs;
      int a2 = ai + 2 * rs;
      int a3 = ai + 3 * rs;
      int kk = k0;
      for (; kk + 1 < k1; kk += 2) {
        int o = kk * ks;
        int p = o + ks;
        fourRowsTwoK(acc[0], acc[1], acc[2], acc[3], w[kk], w[kk + 1], a[ai + o], a[a1 + o], a[a2 + o], a[a3 + o],
            a[ai + p], a[a1 + p], a[a2 + p], a[a3 + p], j0, j1);
      }
      if (kk < k1) {
        int o = kk * ks;
        fourRows(acc[0], acc[1], acc[2], acc[3], w[kk], a[ai + o], a[a1 + o], a[a2 + o], a[a3 + o], j0, j1);
      }
    } else {
      for (int i = 0; i < rows; i++) {
        int kk = k0;
        int ar = ai + i * rs;
        for (; kk + 3 < k1; kk += 4) {
          int o = ar + kk * ks;
          oneRowFourK(acc[i], w[kk], w[kk + 1], w[kk + 2], w[kk + 3], a[o], a[o + ks], a[o + 2 * ks], a[o + 3 * ks], j0, j1);
        }
        for (; kk + 1 < k1; kk += 2) {
          int o = ar + kk * ks;
          oneRowTwoK(acc[i], w[kk], w[kk + 1], a[o], a[o + ks], j0, j1);
        }
        if (kk < k1) {
          oneRow(acc[i], w[kk], a[ar + kk * ks], j0, j1);
        }
      }
    }
    for (int i = 0; i < rows; i++) {
      System.arraycopy(acc[i], j0, c, ci + i * ldc + j0, j1 - j0);
    }
  }

  /**
   * {@link #block}'s products for fewer than {@link #WIDE} columns, each row of A by each row of B
   * in k order. Its loop is {@link #oneRow}'s written again on purpose: calling {@code oneRow} would
   * share that loop's profile, which is what narrow ranges must stay out of.
   */
  private static void narrowBlock(float[] a, int ai, int rs, int ks, int rows, float[][] w, int k0, int k1, int j0, int j1,
      float[][] acc) {
    for (int i = 0; i < rows; i++) {
      float[] ci = acc[i];
      for (int kk = k0; kk < k1; kk++) {
        float x = a[ai + i * rs + kk * ks];
        float[] wk = w[kk];
        for (int j = j0; j < j1; j++) {
          ci[j] = Math.fma(x, wk[j], ci[j]);
        }
      }
    }
  }

  /**
   * The length of an accumulator row for {@code cols} columns: rows allocated one after the other
   * then start 528 bytes apart modulo 4 KiB. Rows a multiple of 4 KiB plus a few bytes apart (as
   * rows of 1024 floats are) make loads from one row wait for stores to another that the CPU takes
   * for the same address (4K aliasing): the four-row kernel measured 38 against 60 GFLOP/s (median
   * over 24 placements of B, JDK 17).
   */
  static int accumulatorLength(int cols) {
    return Packed.roundUp(cols, 1024) + 128;
  }

  private static float[][] accumulators(int cols) {
    float[][] acc = ACC.get();
    if (acc[0].length < cols) {
      acc = new float[ROWS][accumulatorLength(cols)];
      ACC.set(acc);
    }
    return acc;
  }

  /**
   * Two rows of B at once: per element four accumulator loads and stores serve eight multiply-adds
   * (the accumulators' memory traffic, not the arithmetic, bounds this kernel). Each sum still
   * adds its products in k order.
   */
  private static void fourRowsTwoK(float[] c0, float[] c1, float[] c2, float[] c3, float[] w, float[] u, float x0, float x1, float x2,
      float x3, float y0, float y1, float y2, float y3, int j0, int j1) {
    for (int j = j0; j < j1; j++) {
      float v = w[j];
      float q = u[j];
      c0[j] = Math.fma(y0, q, Math.fma(x0, v, c0[j]));
      c1[j] = Math.fma(y1, q, Math.fma(x1, v, c1[j]));
      c2[j] = Math.fma(y2, q, Math.fma(x2, v, c2[j]));
      c3[j] = Math.fma(y3, q, Math.fma(x3, v, c3[j]));
    }
  }

  /** A single row of A (a matrix-vector product): four rows of B per pass of its accumulator. */
  private static void oneRowFourK(float[] c0, float[] w0, float[] w1, float[] w2, float[] w3, float x0, float x1, float x2, float x3, int j0,
      int j1) {
    for (int j = j0; j < j1; j++) {
      c0[j] = Math.fma(x3, w3[j], Math.fma(x2, w2[j], Math.fma(x1, w1[j], Math.fma(x0, w0[j], c0[j]))));
    }
  }

  private static void oneRowTwoK(float[] c0, float[] w, float[] u, float x0, float y0, int j0, int j1) {
    for (int j = j0; j < j1; j++) {
      c0[j] = Math.fma(y0, u[j], Math.fma(x0, w[j], c0[j]));
    }
  }

  private static void fourRows(float[] c0, float[] c1, float[] c2, float[] c3, float[] w, float x0, float x1, float x2, float x3, int j0, int j1) {
    for (int j = j0; j < j1; j++) {
      float v = w[j];
      c0[j] = Math.fma(x0, v, c0[j]);
      c1[j] = Math.fma(x1, v, c1[j]);
      c2[j] = Math.fma(x2, v, c2[j]);
      c3[j] = Math.fma(x3, v, c3[j]);
    }
  }

  private static void oneRow(float[] c0, float[] w, float x0, int j0, int j1) {
    for (int j = j0; j < j1; j++) {
      c0[j] = Math.fma(x0, w[j], c0[j]);
    }
  }

  @Override
  public void activate(Activation f, float[] x, int off, int len, int room) {
    switch (f) {
      case LINEAR -> {}
      case SIGMOID -> squash(x, off, len, false);
      case TANH -> squash(x, off, len, true);
      default -> {
        if (!f.elementwise()) {
          f.applyRow(x, off, len, x, off); // softmax and its kind act on the whole row
          return;
        }
        for (int i = off; i < off + len; i++) {
          x[i] = f.apply(x[i]);
        }
      }
    }
  }

  /** Per-thread rows for {@link #squash}: the row's values, then each element's 2^n. */
  private static final ThreadLocal<float[][]> SQUASH = ThreadLocal.withInitial(() -> new float[2][0]);

  /**
   * The sigmoid ({@code tanh} false) or tanh of {@code x[off .. off + len)} from the exponential
   * {@link VectorSimd} uses ({@link ExpParts}), in passes over zero-offset rows so that C2
   * vectorizes all but one: the reduction and polynomial, then 2^n (scalar: C2 does not vectorize
   * reading or building a float's bits), then the quotient. The sigmoid is 1/(1 + e^t) with t = −x; tanh is
   * sign(x)·(−m)/(2 + m) with m = e^t − 1, t = −2|x|, which keeps tanh's relative precision near
   * zero (n = 0 there, so m is the polynomial alone). Rows shorter than {@link #WIDE} go element by
   * element through the same steps (the same results), which keeps the passes' profile wide.
   */
  private static void squash(float[] x, int off, int len, boolean tanh) {
    if (len < WIDE) {
      for (int i = off; i < off + len; i++) {
        x[i] = tanh ? ExpParts.tanh(x[i]) : ExpParts.sigmoid(x[i]);
      }
      return;
    }
    float[][] rows = SQUASH.get();
    if (rows[0].length < len) {
      rows = new float[][] {new float[len], new float[len]};
      SQUASH.set(rows);
    }
    float[] m = rows[0];
    float[] scale = rows[1];
    System.arraycopy(x, off, m, 0, len);
    if (tanh) {
      for (int i = 0; i < len; i++) {
        m[i] = -2f * Math.abs(m[i]);
      }
    } else {
      for (int i = 0; i < len; i++) {
        m[i] = -m[i];
      }
    }
    for (int i = 0; i < len; i++) {
      float t = ExpParts.clampedExponent(m[i]);
      float rounded = ExpParts.roundedExponent(t);
      m[i] = ExpParts.reducedExpm1(t, rounded - ExpParts.ROUND);
      scale[i] = rounded;
    }
    for (int i = 0; i < len; i++) {
      scale[i] = ExpParts.powerOfTwo(scale[i]);
    }
    if (tanh) {
      for (int i = 0; i < len; i++) {
        m[i] = ExpParts.tanhFrom(scale[i], m[i]);
      }
      for (int i = 0; i < len; i++) {
        x[off + i] = Math.copySign(m[i], x[off + i]);
      }
    } else {
      for (int i = 0; i < len; i++) {
        m[i] = ExpParts.sigmoidFrom(scale[i], m[i]);
      }
      System.arraycopy(m, 0, x, off, len);
    }
  }

  /** Per-thread lanes for {@link #lstmGateGradients}: i, f, g, o, the previous c, dh, dc, the gates' gradients, then φ(c'). */
  private static final ThreadLocal<float[][]> LSTM_LANES = ThreadLocal.withInitial(() -> new float[12][0]);

  /**
   * In passes over zero-offset lanes, a block's rows side by side (C2 vectorizes a loop over them,
   * not over rows at an offset): the inputs copied in, three short loops (C2 vectorizes a loop only
   * if its body is small enough to unroll), the active rows' results copied out.
   */
  @Override
  public void lstmGateGradients(int rows, boolean[] active, float[] a, int aOff, int aStride, int pu, float[] tanhC, int tanhOff,
      float[] cPrev, int cOff, float[] dOutside, int outsideOff, float[] dh, float[] dc, int hOff, float[] out, int outStride, int u) {
    int n = rows * u;
    float[][] lanes = LSTM_LANES.get();
    if (lanes[0].length < n) {
      lanes = new float[12][n];
      LSTM_LANES.set(lanes);
    }
    float[] gi = lanes[0], gf = lanes[1], gg = lanes[2], go = lanes[3], cp = lanes[4], dhRow = lanes[5], dcRow = lanes[6];
    float[] di = lanes[7], df = lanes[8], dg = lanes[9], dout = lanes[10];
    float[] tc = tanhC;
    if (tanhOff != 0) {
      tc = lanes[11];
      System.arraycopy(tanhC, tanhOff, tc, 0, n);
    }
    for (int r = 0; r < rows; r++) {
      int p = aOff + r * aStride;
      System.arraycopy(a, p, gi, r * u, u);
      System.arraycopy(a, p + pu, gf, r * u, u);
      System.arraycopy(a, p + 2 * pu, gg, r * u, u);
      System.arraycopy(a, p + 3 * pu, go, r * u, u);
    }
    System.arraycopy(cPrev, cOff, cp, 0, n);
    System.arraycopy(dh, hOff, dhRow, 0, n);
    System.arraycopy(dc, hOff, dcRow, 0, n);
    if (dOutside != null) {
      float[] outside = di; // scratch until the gradients
      System.arraycopy(dOutside, outsideOff, outside, 0, n);
      for (int j = 0; j < n; j++) {
        dhRow[j] += outside[j];
      }
      System.arraycopy(dhRow, 0, dh, hOff, n);
    }
    for (int j = 0; j < n; j++) {
      float oj = go[j];
      float tj = tc[j];
      float dhj = dhRow[j];
      dout[j] = dhj * tj * (oj * (1 - oj));
      dcRow[j] += dhj * oj * (1 - tj * tj); // c's total gradient
    }
    for (int j = 0; j < n; j++) {
      float dcj = dcRow[j];
      float ij = gi[j];
      float gj = gg[j];
      di[j] = dcj * gj * (ij * (1 - ij));
      dg[j] = dcj * ij * (1 - gj * gj);
    }
    for (int j = 0; j < n; j++) {
      float dcj = dcRow[j];
      float fj = gf[j];
      df[j] = dcj * cp[j] * (fj * (1 - fj));
      dcRow[j] = dcj * fj;
    }
    for (int r = 0; r < rows; r++) {
      if (active[r]) {
        int o = r * outStride;
        int at = r * u;
        System.arraycopy(di, at, out, o, u);
        System.arraycopy(df, at, out, o + u, u);
        System.arraycopy(dg, at, out, o + 2 * u, u);
        System.arraycopy(dout, at, out, o + 3 * u, u);
        System.arraycopy(dcRow, at, dc, hOff + at, u);
      }
    }
  }
}

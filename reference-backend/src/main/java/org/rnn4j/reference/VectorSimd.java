package org.rnn4j.reference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.layers.Activation;

/**
 * The kernels on the Vector API with 256-bit vectors (8 floats): a 6-row by 16-column register
 * tile for the GEMM (12 accumulators; the six rows of A packed so that their broadcasts read one
 * cache line) inside cache blocks of rows and k, a four-panel kernel for single rows, and
 * exp-based sigmoid and tanh. Only loaded when {@code jdk.incubator.vector} is present (see {@link
 * SimdProvider}).
 */
final class VectorSimd implements Simd {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = 8;

  private VectorSimd() {}

  /** The kernels, or null when this CPU's vectors are narrower than 256 bits. */
  static Simd create() {
    return FloatVector.SPECIES_PREFERRED.length() >= L ? new VectorSimd() : null;
  }

  @Override
  public boolean usesPanels() {
    return true;
  }

  @Override
  public String name() {
    return "Vector API, " + S.vectorBitSize() + "-bit";
  }

  /** Rows of A per block, packed once per call of a block. */
  static final int MC = 96;
  /** k-rows per slice of B. */
  static final int KC = 256;
  /** Panels per block of B: a KC × 8·16 block of B (128 KiB) stays in L2 across the row tiles. */
  static final int NC_PANELS = 8;

  /** Per-thread buffer for a packed block of rows of A. */
  private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[MC * 512]);

  @Override
  public void gemm(float[] a, int aOff, int lda, int m, Packed b, int u0, int u1, float[] c, int cOff, int ldc, boolean accumulate) {
    final int k = b.rows;
    final float[] w = b.panels();
    final int pu0 = u0 / Packed.NR;
    final int pu1 = Packed.roundUp(u1, Packed.NR) / Packed.NR;
    final int perGate = b.paddedUnits / Packed.NR;
    if (m == 1 && pu0 == 0 && pu1 == perGate) {
      gemv(a, aOff, k, w, 0, b.panels, c, cOff, accumulate); // every gate's panels: one range
      return;
    }
    if (m == 1) {
      for (int g = 0; g < b.gates; g++) {
        gemv(a, aOff, k, w, g * perGate + pu0, g * perGate + pu1, c, cOff, accumulate);
      }
      return;
    }
    float[] pack = PACK.get();
    if (pack.length < MC * k) {
      pack = new float[MC * k];
      PACK.set(pack);
    }
    // Cache blocking: a block of up to MC rows of A is packed once; for each slice of KC k-rows
    // and each block of NC_PANELS panels of B (which stays in L2), every six-row tile of the block
    // runs through those panels, writing C along its rows.
    for (int r0 = 0; r0 < m; r0 += MC) {
      int mc = Math.min(MC, m - r0);
      int tiles = (mc + 5) / 6;
      packRows(a, aOff + r0 * lda, lda, mc, k, pack);
      for (int k0 = 0; k0 < k; k0 += KC) {
        int kc = Math.min(KC, k - k0);
        boolean acc = accumulate || k0 > 0;
        for (int g = 0; g < b.gates; g++) {
          int gEnd = g * perGate + pu1;
          for (int p0 = g * perGate + pu0; p0 < gEnd; p0 += NC_PANELS) {
            int p1 = Math.min(gEnd, p0 + NC_PANELS);
            for (int t = 0; t < tiles; t++) {
              int row = r0 + 6 * t;
              int rows = Math.min(6, m - row);
              for (int p = p0; p < p1; p++) {
                tile6(pack, (t * k + k0) * 6, kc, w, (p * k + k0) * Packed.NR, c, cOff + row * ldc + p * Packed.NR, ldc, rows, acc);
              }
            }
          }
        }
      }
    }
  }

  /**
   * Packs {@code rows} rows of A tile by tile: tile t holds rows 6t..6t+5 interleaved by k ({@code
   * pack[(t·k + kk)·6 + q]}), so that a tile's six broadcasts per k read one cache line; rows past
   * the end are zero.
   */
  private static void packRows(float[] a, int aOff, int lda, int rows, int k, float[] pack) {
    int tiles = (rows + 5) / 6;
    for (int t = 0; t < tiles; t++) {
      int base = t * k * 6;
      for (int q = 0; q < 6; q++) {
        int row = 6 * t + q;
        if (row < rows) {
          int ai = aOff + row * lda;
          for (int kk = 0; kk < k; kk++) {
            pack[base + kk * 6 + q] = a[ai + kk];
          }
        } else {
          for (int kk = 0; kk < k; kk++) {
            pack[base + kk * 6 + q] = 0f;
          }
        }
      }
    }
  }

  /** Six rows (the first {@code rows} stored) of one 16-column panel, over {@code k} k-rows. */
  private static void tile6(float[] ap, int apOff, int k, float[] w, int wi, float[] c, int ci, int ldc, int rows, boolean acc) {
    FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
    for (int kk = 0; kk < k; kk++) {
      int wk = wi + kk * Packed.NR;
      int ak = apOff + kk * 6;
      FloatVector b0 = FloatVector.fromArray(S, w, wk);
      FloatVector b1 = FloatVector.fromArray(S, w, wk + L);
      FloatVector x = FloatVector.broadcast(S, ap[ak]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[ak + 1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[ak + 2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[ak + 3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[ak + 4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[ak + 5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    store(c00, c01, c, ci, acc);
    if (rows > 1) {
      store(c10, c11, c, ci + ldc, acc);
    }
    if (rows > 2) {
      store(c20, c21, c, ci + 2 * ldc, acc);
    }
    if (rows > 3) {
      store(c30, c31, c, ci + 3 * ldc, acc);
    }
    if (rows > 4) {
      store(c40, c41, c, ci + 4 * ldc, acc);
    }
    if (rows > 5) {
      store(c50, c51, c, ci + 5 * ldc, acc);
    }
  }

  private static void store(FloatVector lo, FloatVector hi, float[] c, int ci, boolean acc) {
    if (acc) {
      lo = lo.add(FloatVector.fromArray(S, c, ci));
      hi = hi.add(FloatVector.fromArray(S, c, ci + L));
    }
    lo.intoArray(c, ci);
    hi.intoArray(c, ci + L);
  }

  /**
   * One row of A, four panels at a time: each k broadcasts one element of A into eight
   * accumulators fed by four sequential streams (one per panel); leftover panels one by one.
   */
  private static void gemv(float[] a, int ai, int k, float[] w, int p0, int p1, float[] c, int ci, boolean acc) {
    final int nr = Packed.NR;
    final int stride = k * nr;
    int p = p0;
    for (; p + 4 <= p1; p += 4) {
      int w0 = p * stride;
      int w1 = w0 + stride;
      int w2 = w1 + stride;
      int w3 = w2 + stride;
      FloatVector s0 = FloatVector.zero(S), s1 = s0, t0 = s0, t1 = s0, u0 = s0, u1 = s0, v0 = s0, v1 = s0;
      for (int kk = 0; kk < k; kk++) {
        int o = kk * nr;
        FloatVector x = FloatVector.broadcast(S, a[ai + kk]);
        s0 = x.fma(FloatVector.fromArray(S, w, w0 + o), s0);
        s1 = x.fma(FloatVector.fromArray(S, w, w0 + o + L), s1);
        t0 = x.fma(FloatVector.fromArray(S, w, w1 + o), t0);
        t1 = x.fma(FloatVector.fromArray(S, w, w1 + o + L), t1);
        u0 = x.fma(FloatVector.fromArray(S, w, w2 + o), u0);
        u1 = x.fma(FloatVector.fromArray(S, w, w2 + o + L), u1);
        v0 = x.fma(FloatVector.fromArray(S, w, w3 + o), v0);
        v1 = x.fma(FloatVector.fromArray(S, w, w3 + o + L), v1);
      }
      int cp = ci + p * nr;
      store(s0, s1, c, cp, acc);
      store(t0, t1, c, cp + nr, acc);
      store(u0, u1, c, cp + 2 * nr, acc);
      store(v0, v1, c, cp + 3 * nr, acc);
    }
    for (; p < p1; p++) {
      int w0 = p * stride;
      FloatVector s0 = FloatVector.zero(S), s1 = s0, t0 = s0, t1 = s0;
      int kk = 0;
      for (; kk + 2 <= k; kk += 2) {
        int wk = w0 + kk * nr;
        FloatVector x = FloatVector.broadcast(S, a[ai + kk]);
        s0 = x.fma(FloatVector.fromArray(S, w, wk), s0);
        s1 = x.fma(FloatVector.fromArray(S, w, wk + L), s1);
        x = FloatVector.broadcast(S, a[ai + kk + 1]);
        t0 = x.fma(FloatVector.fromArray(S, w, wk + nr), t0);
        t1 = x.fma(FloatVector.fromArray(S, w, wk + nr + L), t1);
      }
      if (kk < k) {
        int wk = w0 + kk * nr;
        FloatVector x = FloatVector.broadcast(S, a[ai + kk]);
        s0 = x.fma(FloatVector.fromArray(S, w, wk), s0);
        s1 = x.fma(FloatVector.fromArray(S, w, wk + L), s1);
      }
      store(s0.add(t0), s1.add(t1), c, ci + p * nr, acc);
    }
  }

  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
  private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
  private static final FloatVector LOG2E = FloatVector.broadcast(S, ExpParts.LOG2E);
  private static final FloatVector ROUND = FloatVector.broadcast(S, ExpParts.ROUND);
  private static final FloatVector LN2_HI = FloatVector.broadcast(S, ExpParts.LN2_HI);
  private static final FloatVector LN2_LO = FloatVector.broadcast(S, ExpParts.LN2_LO);
  private static final FloatVector EXP_MAX = FloatVector.broadcast(S, ExpParts.MAX);
  private static final FloatVector EXP_MIN = FloatVector.broadcast(S, ExpParts.MIN);
  private static final FloatVector P0 = FloatVector.broadcast(S, ExpParts.P0);
  private static final FloatVector P1 = FloatVector.broadcast(S, ExpParts.P1);
  private static final FloatVector P2 = FloatVector.broadcast(S, ExpParts.P2);
  private static final FloatVector P3 = FloatVector.broadcast(S, ExpParts.P3);
  private static final FloatVector P4 = FloatVector.broadcast(S, ExpParts.P4);
  private static final FloatVector P5 = FloatVector.broadcast(S, ExpParts.P5);

  /**
   * The sigmoid ({@code tanh} false) or tanh of {@code x[i .. end)}, a vector at a time, from one
   * exponential each ({@link ExpParts}: t = n·ln 2 + r, m = e^r − 1, 2^n). The sigmoid is 1/(1 + 2^n(1 + m)) with t = −x; tanh is
   * sign(x)·(−M)/(2 + M) with M = e^t − 1 = 2^n·m + (2^n − 1), t = −2|x|: near zero n = 0 and M is
   * the polynomial alone, so tanh keeps its relative precision there without a second formula.
   * NaN propagates through every step. Everything is written out in this one loop: a vector passed
   * to a method the JIT declines to inline is boxed on the heap, which costs more than the
   * arithmetic.
   */
  private static int squash(float[] x, int i, int end, boolean tanh) {
    for (; i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector t = tanh ? v.abs().mul(-2f) : v.neg();
      FloatVector tc = t.min(EXP_MAX).max(EXP_MIN);
      // round to nearest by adding 1.5·2^23, which leaves no fraction bits; the sum's low mantissa
      // bits then hold n itself, from which 2^n's exponent field is built without a conversion
      FloatVector shifted = tc.fma(LOG2E, ROUND);
      FloatVector n = shifted.sub(ROUND);
      FloatVector r = n.fma(LN2_HI.neg(), tc);
      r = n.fma(LN2_LO.neg(), r);
      FloatVector p = P0.fma(r, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
      FloatVector m = p.fma(r.mul(r), r);
      var bits = shifted.reinterpretAsInts().sub(ExpParts.ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
      FloatVector scale = bits.reinterpretAsFloats();
      FloatVector out;
      if (tanh) {
        FloatVector em1 = scale.fma(m, scale.sub(ONE));
        // abs: at x = ±0 the quotient is −0
        FloatVector magnitude = em1.neg().div(TWO.add(em1)).abs();
        // x's sign bit onto the magnitude
        var sign = v.reinterpretAsInts().and(Integer.MIN_VALUE);
        out = magnitude.reinterpretAsInts().or(sign).reinterpretAsFloats();
      } else {
        out = ONE.div(ONE.add(scale.fma(m, scale)));
      }
      out.intoArray(x, i);
    }
    return i;
  }

  @Override
  public void activate(Activation f, float[] x, int off, int len, int room) {
    if (!f.elementwise()) {
      f.applyRow(x, off, len, x, off); // softmax and its kind: the whole row, rare in recurrent layers
      return;
    }
    // each activation's loop is its own method taking arrays, never vectors (see squash); the
    // tail runs as a whole vector over padding where the caller allows
    int whole = Packed.roundUp(len, L);
    int vend = off + (whole <= room ? whole : S.loopBound(len));
    int i = switch (f) {
      case LINEAR -> off + len;
      case SIGMOID -> squash(x, off, vend, false);
      case TANH -> squash(x, off, vend, true);
      case HARD_SIGMOID -> hardSigmoid(x, off, vend);
      case RELU -> relu(x, off, vend);
      default -> off; // the other activations are rare in recurrent layers: exact scalar definitions
    };
    for (; i < off + len; i++) {
      x[i] = f.apply(x[i]);
    }
  }

  private static int hardSigmoid(float[] x, int i, int end) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector k = FloatVector.broadcast(S, 0.2f);
    FloatVector half = FloatVector.broadcast(S, 0.5f);
    for (; i < end; i += L) {
      FloatVector.fromArray(S, x, i).fma(k, half).max(zero).min(ONE).intoArray(x, i);
    }
    return i;
  }

  private static int relu(float[] x, int i, int end) {
    FloatVector zero = FloatVector.zero(S);
    for (; i < end; i += L) {
      FloatVector.fromArray(S, x, i).max(zero).intoArray(x, i);
    }
    return i;
  }
}

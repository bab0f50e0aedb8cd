package org.rnn4j.reference;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.layers.Activation;

/**
 * The kernels on the Vector API with the widest vectors up to 512 bits the CPU has (at least 256;
 * {@code -Drnn4j.simd.bits=256} keeps a 512-bit CPU at 256): a register tile of {@link #MR} rows
 * by two vectors for the GEMM (the rows of A packed so that a tile's broadcasts read one cache line,
 * or at 512 bits a row-major A read in place when there are few panels to amortize its packing)
 * inside cache blocks of rows and k, an eight-vector kernel for single rows, and exp-based sigmoid
 * and tanh. A 16-column panel is two 256-bit vectors or one 512-bit vector, so a tile covers one
 * panel (six rows, 256 bits) or two (eight rows, 512 bits). Each element of C is the chain
 * {@link Simd#gemm} prescribes at either width: a tile's accumulators start from C's values and
 * are stored back after each slice of k, so the slices change the speed, not the results; nor do
 * the width or the flag. Only loaded when {@code jdk.incubator.vector} is present (see {@link
 * SimdProvider}).
 *
 * <p>The vectors stay in registers only where C2 applies the Vector API's intrinsics, and whether it
 * can at a call may depend on the profile it compiled with: a branch first taken after a method
 * was compiled deoptimizes it, and the recompilation has failed intrinsics (every vector they
 * touch boxed on the heap, several times slower) in some runs and not others. So the kernels have
 * no branch between load and store — they always start from C and store all of a tile (one at
 * C's edges runs on a copy), and {@link #gemm} zeroes a C that is to be replaced — and the
 * activations have no branch in their loops: sigmoid and tanh are one formula whose coefficients
 * are picked before the loop.
 */
final class VectorSimd implements Simd {
  private static final VectorSpecies<Float> S = species(Integer.getInteger("rnn4j.simd.bits", 512));
  /** Floats per vector: 8 or 16. */
  private static final int L = S.length();
  /** Panels per GEMM tile: a tile is two vectors wide. */
  private static final int TILE_PANELS = 2 * L / Packed.NR;
  /**
   * Rows per GEMM tile: 6 with 256-bit vectors (12 accumulators of AVX2's 16 registers), 8 with
   * 512-bit ones (16 of AVX-512's 32; a 16-row block, as each of two threads takes of a 32-row
   * step, is two whole tiles).
   */
  private static final int MR = L == 16 ? 8 : 6;

  private VectorSimd() {}

  /** The widest species of at most {@code maxBits} (256 or 512) this CPU runs at full width. */
  private static VectorSpecies<Float> species(int maxBits) {
    return maxBits >= 512 && FloatVector.SPECIES_PREFERRED.length() >= 16 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
  }

  /** The kernels, or null when this CPU's vectors are narrower than 256 bits. */
  static Simd create() {
    return FloatVector.SPECIES_PREFERRED.length() >= 8 ? new VectorSimd() : null;
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

  /** Panels below which a row-major A is read in place rather than packed (see {@link #tile8InPlace}). */
  static final int IN_PLACE_PANELS = 32;

  /** Per-thread buffer for a packed block of rows of A. */
  private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[MC * 512]);

  @Override
  public void gemm(float[] a, int aOff, int rowStride, int kStride, int m, Packed b, int u0, int u1, float[] c, int cOff, int ldc,
      boolean accumulate) {
    final int k = b.rows;
    final float[] w = b.panels();
    final int pu0 = u0 / Packed.NR;
    final int pu1 = Packed.roundUp(u1, Packed.NR) / Packed.NR;
    final int perGate = b.paddedUnits / Packed.NR;
    if (!accumulate) {
      zeroColumns(c, cOff, ldc, m, b.gates, perGate, pu0, pu1); // the kernels start from C
    }
    if (m == 1 && pu0 == 0 && pu1 == perGate) {
      gemv(a, aOff, kStride, k, w, 0, b.panels, c, cOff); // every gate's panels: one range
      return;
    }
    if (m == 1) {
      for (int g = 0; g < b.gates; g++) {
        gemv(a, aOff, kStride, k, w, g * perGate + pu0, g * perGate + pu1, c, cOff);
      }
      return;
    }
    // a row-major A multiplied into few panels is read in place: its packing would cost more than
    // the packed tiles save over those panels
    boolean inPlace = MR == 8 && kStride == 1 && b.gates * (pu1 - pu0) < IN_PLACE_PANELS;
    float[] pack = inPlace ? null : PACK.get();
    if (!inPlace && pack.length < MC * k) {
      pack = new float[MC * k];
      PACK.set(pack);
    }
    // Cache blocking: a block of up to MC rows of A is packed once; for each slice of KC k-rows
    // and each block of NC_PANELS panels of B (which stays in L2), every MR-row tile of the block
    // runs through those panels, writing C along its rows.
    for (int r0 = 0; r0 < m; r0 += MC) {
      int mc = Math.min(MC, m - r0);
      int tiles = (mc + MR - 1) / MR;
      if (!inPlace) {
        packRows(a, aOff + r0 * rowStride, rowStride, kStride, mc, k, pack);
      }
      for (int k0 = 0; k0 < k; k0 += KC) {
        int kc = Math.min(KC, k - k0);
        for (int g = 0; g < b.gates; g++) {
          int gEnd = g * perGate + pu1;
          for (int p0 = g * perGate + pu0; p0 < gEnd; p0 += NC_PANELS) {
            int p1 = Math.min(gEnd, p0 + NC_PANELS);
            for (int t = 0; t < tiles; t++) {
              int row = r0 + MR * t;
              int rows = Math.min(MR, m - row);
              for (int p = p0; p < p1; p += TILE_PANELS) {
                int b0 = (p * k + k0) * Packed.NR;
                int ap = (t * k + k0) * MR;
                int ci = cOff + row * ldc + p * Packed.NR;
                if (MR == 8) {
                  // panels p and p + 1; past the last panel, p again (computed, not stored)
                  boolean both = p + 1 < p1;
                  int b1 = both ? b0 + k * Packed.NR : b0;
                  if (inPlace) {
                    tile8InPlace(a, aOff + row * rowStride + k0, rowStride, kc, w, b0, b1, both, c, ci, ldc, rows);
                  } else {
                    tile8(pack, ap, kc, w, b0, b1, both, c, ci, ldc, rows);
                  }
                } else {
                  tile6(pack, ap, kc, w, b0, c, ci, ldc, rows);
                }
              }
            }
          }
        }
      }
    }
  }

  /** Zeroes C's columns of panels [pu0, pu1) of every gate in {@code m} rows. */
  private static void zeroColumns(float[] c, int cOff, int ldc, int m, int gates, int perGate, int pu0, int pu1) {
    for (int r = 0; r < m; r++) {
      for (int g = 0; g < gates; g++) {
        int from = cOff + r * ldc + (g * perGate + pu0) * Packed.NR;
        Arrays.fill(c, from, from + (pu1 - pu0) * Packed.NR, 0f);
      }
    }
  }

  /**
   * Packs {@code rows} rows of A (strides as in {@link #gemm}) tile by tile: tile t holds rows
   * MR·t .. MR·t + MR − 1 interleaved by k ({@code pack[(t·k + kk)·MR + q]}), so that a tile's
   * broadcasts per k read one cache line; rows past the end are zero.
   */
  private static void packRows(float[] a, int aOff, int rs, int ks, int rows, int k, float[] pack) {
    int tiles = (rows + MR - 1) / MR;
    if (rs == 1 && ks != 1) {
      packColumns(a, aOff, ks, rows, tiles, k, pack);
      return;
    }
    for (int t = 0; t < tiles; t++) {
      int base = t * k * MR;
      int full = Math.min(MR, rows - MR * t);
      int first = aOff + MR * t * rs;
      for (int kk = 0; kk < k; kk++) {
        int at = base + kk * MR;
        int ai = first + kk * ks;
        for (int q = 0; q < full; q++) {
          pack[at + q] = a[ai + q * rs];
        }
        for (int q = full; q < MR; q++) {
          pack[at + q] = 0f;
        }
      }
    }
  }

  /**
   * {@link #packRows} of a transposed A ({@code rs} 1: the block's rows lie side by side in each
   * k-row of {@code a}): k-row by k-row, so that {@code a} is read along its rows rather than down
   * a tile's columns a cache line at a time.
   */
  private static void packColumns(float[] a, int aOff, int ks, int rows, int tiles, int k, float[] pack) {
    int fullTiles = rows / MR;
    for (int kk = 0; kk < k; kk++) {
      int ai = aOff + kk * ks;
      for (int t = 0; t < fullTiles; t++) {
        int at = (t * k + kk) * MR;
        int from = ai + t * MR;
        for (int q = 0; q < MR; q++) {
          pack[at + q] = a[from + q];
        }
      }
      for (int t = fullTiles; t < tiles; t++) {
        int at = (t * k + kk) * MR;
        int full = rows - MR * t;
        for (int q = 0; q < MR; q++) {
          pack[at + q] = q < full ? a[ai + MR * t + q] : 0f;
        }
      }
    }
  }

  /**
   * 256-bit vectors: six rows (the first {@code rows} of C) of one panel of B (from {@code w[b0]},
   * {@link Packed#NR} floats further per k-row, as two vectors), over {@code k} k-rows; a tile at
   * C's last rows runs on a copy of its part of C.
   */
  private static void tile6(float[] ap, int apOff, int k, float[] w, int b0, float[] c, int ci, int ldc, int rows) {
    if (rows == 6) {
      tile6(ap, apOff, k, w, b0, c, ci, ldc);
      return;
    }
    float[] edge = toEdge(c, ci, ldc, rows, 2 * L);
    tile6(ap, apOff, k, w, b0, edge, 0, 2 * L);
    fromEdge(edge, c, ci, ldc, rows, 2 * L);
  }

  private static void tile6(float[] ap, int apOff, int k, float[] w, int b0, float[] c, int ci, int ldc) {
    int b1 = b0 + L;
    int c1 = ci + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, ci);
    FloatVector c01 = FloatVector.fromArray(S, c, ci + L);
    FloatVector c10 = FloatVector.fromArray(S, c, c1);
    FloatVector c11 = FloatVector.fromArray(S, c, c1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, c2);
    FloatVector c21 = FloatVector.fromArray(S, c, c2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, c3);
    FloatVector c31 = FloatVector.fromArray(S, c, c3 + L);
    FloatVector c40 = FloatVector.fromArray(S, c, c4);
    FloatVector c41 = FloatVector.fromArray(S, c, c4 + L);
    FloatVector c50 = FloatVector.fromArray(S, c, c5);
    FloatVector c51 = FloatVector.fromArray(S, c, c5 + L);
    for (int kk = 0; kk < k; kk++) {
      int wk = kk * Packed.NR;
      int ak = apOff + kk * 6;
      FloatVector v0 = FloatVector.fromArray(S, w, b0 + wk);
      FloatVector v1 = FloatVector.fromArray(S, w, b1 + wk);
      FloatVector x = FloatVector.broadcast(S, ap[ak]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
      x = FloatVector.broadcast(S, ap[ak + 1]);
      c10 = x.fma(v0, c10);
      c11 = x.fma(v1, c11);
      x = FloatVector.broadcast(S, ap[ak + 2]);
      c20 = x.fma(v0, c20);
      c21 = x.fma(v1, c21);
      x = FloatVector.broadcast(S, ap[ak + 3]);
      c30 = x.fma(v0, c30);
      c31 = x.fma(v1, c31);
      x = FloatVector.broadcast(S, ap[ak + 4]);
      c40 = x.fma(v0, c40);
      c41 = x.fma(v1, c41);
      x = FloatVector.broadcast(S, ap[ak + 5]);
      c50 = x.fma(v0, c50);
      c51 = x.fma(v1, c51);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, c1);
    c11.intoArray(c, c1 + L);
    c20.intoArray(c, c2);
    c21.intoArray(c, c2 + L);
    c30.intoArray(c, c3);
    c31.intoArray(c, c3 + L);
    c40.intoArray(c, c4);
    c41.intoArray(c, c4 + L);
    c50.intoArray(c, c5);
    c51.intoArray(c, c5 + L);
  }

  /** A tile's worth of C (8 rows of two 512-bit vectors) for the tiles at C's edges. */
  private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[8 * 32]);

  /** The first {@code cols} columns of {@code rows} rows of C from {@code c[ci]}, in a tile-sized copy with rows 2·L apart. */
  private static float[] toEdge(float[] c, int ci, int ldc, int rows, int cols) {
    float[] edge = EDGE.get();
    for (int r = 0; r < rows; r++) {
      System.arraycopy(c, ci + r * ldc, edge, r * 2 * L, cols);
    }
    return edge;
  }

  /** {@link #toEdge}'s part of C back from the copy. */
  private static void fromEdge(float[] edge, float[] c, int ci, int ldc, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(edge, r * 2 * L, c, ci + r * ldc, cols);
    }
  }

  /**
   * 512-bit vectors: eight rows (the first {@code rows} stored) of two panels of B (from {@code
   * w[b0]} and {@code w[b1]}, {@link Packed#NR} floats further per k-row), over {@code k} k-rows;
   * the second panel's columns follow the first's in C and are stored only if {@code both}. Its 16
   * accumulators leave C2 no room to inline a helper per row (a call left out boxes its vectors),
   * so the loads from C and the stores back are spelled out and always cover the whole tile: a
   * tile at C's last rows or last panel runs on a copy of its part of C.
   */
  private static void tile8(float[] ap, int apOff, int k, float[] w, int b0, int b1, boolean both, float[] c, int ci, int ldc,
      int rows) {
    if (rows == 8 && both) {
      tile8(ap, apOff, k, w, b0, b1, c, ci, ldc);
      return;
    }
    int cols = both ? 2 * L : L;
    float[] edge = toEdge(c, ci, ldc, rows, cols);
    tile8(ap, apOff, k, w, b0, b1, edge, 0, 2 * L);
    fromEdge(edge, c, ci, ldc, rows, cols);
  }

  private static void tile8(float[] ap, int apOff, int k, float[] w, int b0, int b1, float[] c, int ci, int ldc) {
    int c1 = ci + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    int c6 = c5 + ldc;
    int c7 = c6 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, ci);
    FloatVector c01 = FloatVector.fromArray(S, c, ci + L);
    FloatVector c10 = FloatVector.fromArray(S, c, c1);
    FloatVector c11 = FloatVector.fromArray(S, c, c1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, c2);
    FloatVector c21 = FloatVector.fromArray(S, c, c2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, c3);
    FloatVector c31 = FloatVector.fromArray(S, c, c3 + L);
    FloatVector c40 = FloatVector.fromArray(S, c, c4);
    FloatVector c41 = FloatVector.fromArray(S, c, c4 + L);
    FloatVector c50 = FloatVector.fromArray(S, c, c5);
    FloatVector c51 = FloatVector.fromArray(S, c, c5 + L);
    FloatVector c60 = FloatVector.fromArray(S, c, c6);
    FloatVector c61 = FloatVector.fromArray(S, c, c6 + L);
    FloatVector c70 = FloatVector.fromArray(S, c, c7);
    FloatVector c71 = FloatVector.fromArray(S, c, c7 + L);
    for (int kk = 0; kk < k; kk++) {
      int wk = kk * Packed.NR;
      int ak = apOff + kk * 8;
      FloatVector v0 = FloatVector.fromArray(S, w, b0 + wk);
      FloatVector v1 = FloatVector.fromArray(S, w, b1 + wk);
      FloatVector x = FloatVector.broadcast(S, ap[ak]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
      x = FloatVector.broadcast(S, ap[ak + 1]);
      c10 = x.fma(v0, c10);
      c11 = x.fma(v1, c11);
      x = FloatVector.broadcast(S, ap[ak + 2]);
      c20 = x.fma(v0, c20);
      c21 = x.fma(v1, c21);
      x = FloatVector.broadcast(S, ap[ak + 3]);
      c30 = x.fma(v0, c30);
      c31 = x.fma(v1, c31);
      x = FloatVector.broadcast(S, ap[ak + 4]);
      c40 = x.fma(v0, c40);
      c41 = x.fma(v1, c41);
      x = FloatVector.broadcast(S, ap[ak + 5]);
      c50 = x.fma(v0, c50);
      c51 = x.fma(v1, c51);
      x = FloatVector.broadcast(S, ap[ak + 6]);
      c60 = x.fma(v0, c60);
      c61 = x.fma(v1, c61);
      x = FloatVector.broadcast(S, ap[ak + 7]);
      c70 = x.fma(v0, c70);
      c71 = x.fma(v1, c71);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, c1);
    c11.intoArray(c, c1 + L);
    c20.intoArray(c, c2);
    c21.intoArray(c, c2 + L);
    c30.intoArray(c, c3);
    c31.intoArray(c, c3 + L);
    c40.intoArray(c, c4);
    c41.intoArray(c, c4 + L);
    c50.intoArray(c, c5);
    c51.intoArray(c, c5 + L);
    c60.intoArray(c, c6);
    c61.intoArray(c, c6 + L);
    c70.intoArray(c, c7);
    c71.intoArray(c, c7 + L);
  }

  /**
   * {@link #tile8} with A read in place: the tile's rows from {@code a[a0]}, {@code lda} apart, each
   * read along k. Its eight broadcasts per k touch eight cache lines rather than one (a little
   * slower than the packed tile), but A needs no packing: a transpose per call that costs as much
   * as the tiles' work over a few dozen panels. A method of its own rather than {@link #tile8} with a
   * k-step parameter: with a step that is not a constant, C2 keeps the eight loads' range checks in
   * the loop (the forward pass measured 1 ms slower a T3 call).
   */
  private static void tile8InPlace(float[] a, int a0, int lda, int k, float[] w, int b0, int b1, boolean both, float[] c, int ci,
      int ldc, int rows) {
    if (rows == 8 && both) {
      tile8InPlace(a, a0, lda, 8, k, w, b0, b1, c, ci, ldc);
      return;
    }
    int cols = both ? 2 * L : L;
    float[] edge = toEdge(c, ci, ldc, rows, cols);
    tile8InPlace(a, a0, lda, rows, k, w, b0, b1, edge, 0, 2 * L);
    fromEdge(edge, c, ci, ldc, rows, cols);
  }

  private static void tile8InPlace(float[] a, int a0, int lda, int rows, int k, float[] w, int b0, int b1, float[] c, int ci, int ldc) {
    // rows past the last repeat it (computed, not stored)
    int a1 = a0 + Math.min(1, rows - 1) * lda;
    int a2 = a0 + Math.min(2, rows - 1) * lda;
    int a3 = a0 + Math.min(3, rows - 1) * lda;
    int a4 = a0 + Math.min(4, rows - 1) * lda;
    int a5 = a0 + Math.min(5, rows - 1) * lda;
    int a6 = a0 + Math.min(6, rows - 1) * lda;
    int a7 = a0 + Math.min(7, rows - 1) * lda;
    int c1 = ci + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    int c6 = c5 + ldc;
    int c7 = c6 + ldc;
    FloatVector c00 = FloatVector.fromArray(S, c, ci);
    FloatVector c01 = FloatVector.fromArray(S, c, ci + L);
    FloatVector c10 = FloatVector.fromArray(S, c, c1);
    FloatVector c11 = FloatVector.fromArray(S, c, c1 + L);
    FloatVector c20 = FloatVector.fromArray(S, c, c2);
    FloatVector c21 = FloatVector.fromArray(S, c, c2 + L);
    FloatVector c30 = FloatVector.fromArray(S, c, c3);
    FloatVector c31 = FloatVector.fromArray(S, c, c3 + L);
    FloatVector c40 = FloatVector.fromArray(S, c, c4);
    FloatVector c41 = FloatVector.fromArray(S, c, c4 + L);
    FloatVector c50 = FloatVector.fromArray(S, c, c5);
    FloatVector c51 = FloatVector.fromArray(S, c, c5 + L);
    FloatVector c60 = FloatVector.fromArray(S, c, c6);
    FloatVector c61 = FloatVector.fromArray(S, c, c6 + L);
    FloatVector c70 = FloatVector.fromArray(S, c, c7);
    FloatVector c71 = FloatVector.fromArray(S, c, c7 + L);
    for (int kk = 0; kk < k; kk++) {
      int wk = kk * Packed.NR;
      FloatVector v0 = FloatVector.fromArray(S, w, b0 + wk);
      FloatVector v1 = FloatVector.fromArray(S, w, b1 + wk);
      FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
      x = FloatVector.broadcast(S, a[a1 + kk]);
      c10 = x.fma(v0, c10);
      c11 = x.fma(v1, c11);
      x = FloatVector.broadcast(S, a[a2 + kk]);
      c20 = x.fma(v0, c20);
      c21 = x.fma(v1, c21);
      x = FloatVector.broadcast(S, a[a3 + kk]);
      c30 = x.fma(v0, c30);
      c31 = x.fma(v1, c31);
      x = FloatVector.broadcast(S, a[a4 + kk]);
      c40 = x.fma(v0, c40);
      c41 = x.fma(v1, c41);
      x = FloatVector.broadcast(S, a[a5 + kk]);
      c50 = x.fma(v0, c50);
      c51 = x.fma(v1, c51);
      x = FloatVector.broadcast(S, a[a6 + kk]);
      c60 = x.fma(v0, c60);
      c61 = x.fma(v1, c61);
      x = FloatVector.broadcast(S, a[a7 + kk]);
      c70 = x.fma(v0, c70);
      c71 = x.fma(v1, c71);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + L);
    c10.intoArray(c, c1);
    c11.intoArray(c, c1 + L);
    c20.intoArray(c, c2);
    c21.intoArray(c, c2 + L);
    c30.intoArray(c, c3);
    c31.intoArray(c, c3 + L);
    c40.intoArray(c, c4);
    c41.intoArray(c, c4 + L);
    c50.intoArray(c, c5);
    c51.intoArray(c, c5 + L);
    c60.intoArray(c, c6);
    c61.intoArray(c, c6 + L);
    c70.intoArray(c, c7);
    c71.intoArray(c, c7 + L);
  }

  /**
   * One row of A, eight vectors of B at a time (four panels of two 256-bit vectors, or eight of one
   * 512-bit vector): each k broadcasts one element of A into eight accumulators, each fed by a
   * sequential stream; the vectors left four at a time.
   */
  private static void gemv(float[] a, int ai, int ks, int k, float[] w, int p0, int p1, float[] c, int ci) {
    final int nr = Packed.NR;
    final int stride = k * nr;
    final int perPanel = nr / L;
    final int group = 8 / perPanel;
    int p = p0;
    for (; p + group <= p1; p += group) {
      // vector j: panel p + j / perPanel, its (j % perPanel)-th vector
      int w0 = p * stride;
      int w1 = vectorStart(w0, 1, stride);
      int w2 = vectorStart(w0, 2, stride);
      int w3 = vectorStart(w0, 3, stride);
      int w4 = vectorStart(w0, 4, stride);
      int w5 = vectorStart(w0, 5, stride);
      int w6 = vectorStart(w0, 6, stride);
      int w7 = vectorStart(w0, 7, stride);
      // the eight vectors' columns lie side by side in C
      int cp = ci + p * nr;
      FloatVector s0 = FloatVector.fromArray(S, c, cp);
      FloatVector s1 = FloatVector.fromArray(S, c, cp + L);
      FloatVector s2 = FloatVector.fromArray(S, c, cp + 2 * L);
      FloatVector s3 = FloatVector.fromArray(S, c, cp + 3 * L);
      FloatVector s4 = FloatVector.fromArray(S, c, cp + 4 * L);
      FloatVector s5 = FloatVector.fromArray(S, c, cp + 5 * L);
      FloatVector s6 = FloatVector.fromArray(S, c, cp + 6 * L);
      FloatVector s7 = FloatVector.fromArray(S, c, cp + 7 * L);
      for (int kk = 0; kk < k; kk++) {
        int o = kk * nr;
        FloatVector x = FloatVector.broadcast(S, a[ai + kk * ks]);
        s0 = x.fma(FloatVector.fromArray(S, w, w0 + o), s0);
        s1 = x.fma(FloatVector.fromArray(S, w, w1 + o), s1);
        s2 = x.fma(FloatVector.fromArray(S, w, w2 + o), s2);
        s3 = x.fma(FloatVector.fromArray(S, w, w3 + o), s3);
        s4 = x.fma(FloatVector.fromArray(S, w, w4 + o), s4);
        s5 = x.fma(FloatVector.fromArray(S, w, w5 + o), s5);
        s6 = x.fma(FloatVector.fromArray(S, w, w6 + o), s6);
        s7 = x.fma(FloatVector.fromArray(S, w, w7 + o), s7);
      }
      s0.intoArray(c, cp);
      s1.intoArray(c, cp + L);
      s2.intoArray(c, cp + 2 * L);
      s3.intoArray(c, cp + 3 * L);
      s4.intoArray(c, cp + 4 * L);
      s5.intoArray(c, cp + 5 * L);
      s6.intoArray(c, cp + 6 * L);
      s7.intoArray(c, cp + 7 * L);
    }
    // the vectors left, four at a time, each one chain over k as in the groups; a group past the
    // last vector repeats it and runs on a copy of its part of C (no branch between load and store)
    int left = (p1 - p) * perPanel;
    int w0 = p * stride;
    int cp = ci + p * nr;
    for (int j = 0; j < left; j += 4) {
      int n = Math.min(4, left - j);
      int q0 = vectorStart(w0, j, stride);
      int q1 = vectorStart(w0, j + Math.min(1, n - 1), stride);
      int q2 = vectorStart(w0, j + Math.min(2, n - 1), stride);
      int q3 = vectorStart(w0, j + Math.min(3, n - 1), stride);
      float[] t = n == 4 ? c : toEdge(c, cp + j * L, 0, 1, n * L);
      int to = n == 4 ? cp + j * L : 0;
      FloatVector s0 = FloatVector.fromArray(S, t, to);
      FloatVector s1 = FloatVector.fromArray(S, t, to + L);
      FloatVector s2 = FloatVector.fromArray(S, t, to + 2 * L);
      FloatVector s3 = FloatVector.fromArray(S, t, to + 3 * L);
      for (int kk = 0; kk < k; kk++) {
        int o = kk * nr;
        FloatVector x = FloatVector.broadcast(S, a[ai + kk * ks]);
        s0 = x.fma(FloatVector.fromArray(S, w, q0 + o), s0);
        s1 = x.fma(FloatVector.fromArray(S, w, q1 + o), s1);
        s2 = x.fma(FloatVector.fromArray(S, w, q2 + o), s2);
        s3 = x.fma(FloatVector.fromArray(S, w, q3 + o), s3);
      }
      s0.intoArray(t, to);
      s1.intoArray(t, to + L);
      s2.intoArray(t, to + 2 * L);
      s3.intoArray(t, to + 3 * L);
      if (n < 4) {
        fromEdge(t, c, cp + j * L, 0, 1, n * L);
      }
    }
  }

  /** Where vector {@code j} of a group starting at panel offset {@code w0} starts. */
  private static int vectorStart(int w0, int j, int stride) {
    int perPanel = Packed.NR / L;
    return w0 + j / perPanel * stride + j % perPanel * L;
  }

  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
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
   * exponential each ({@link ExpParts}: t = n·ln 2 + r, m = e^r − 1, 2^n). The sigmoid is 1/(1 + E)
   * with E = e^t = 2^n·m + 2^n, t = −x; tanh is sign(x)·(−M)/(2 + M) with M = e^t − 1 = 2^n·m +
   * (2^n − 1), t = −2|x|: near zero n = 0 and M is the polynomial alone, so tanh keeps its relative
   * precision there without a second formula. NaN propagates through every step.
   *
   * <p>Both are one formula, (D·p + q)/(D + d) with D = 2^n·m + (2^n − c), whose scalar
   * coefficients the flag picks before the loop, so the loop has no branch and one store (with a
   * store in each branch of one, the second failed its intrinsic in some compilations, its species
   * not folded to a constant, which boxed every vector of the loop). Every vector stays in this
   * method: one passed to a method the JIT declines to inline is boxed on the heap.
   */
  private static int squash(float[] x, int i, int end, boolean tanh) {
    // t = −2|x| as min(−2x, 2x), −x as min(−x, −x)
    float ta = tanh ? -2f : -1f;
    float tb = tanh ? 2f : -1f;
    float c = tanh ? 1f : 0f;
    float p = tanh ? -1f : 0f;
    float q = tanh ? 0f : 1f;
    float d = tanh ? 2f : 1f;
    // tanh: x's sign bit onto the magnitude; the sigmoid is positive (or NaN) already
    int sign = tanh ? Integer.MIN_VALUE : 0;
    for (; i < end; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector t = v.mul(ta).min(v.mul(tb));
      FloatVector tc = t.min(EXP_MAX).max(EXP_MIN);
      // round to nearest by adding 1.5·2^23, which leaves no fraction bits; the sum's low mantissa
      // bits then hold n itself, from which 2^n's exponent field is built without a conversion
      FloatVector shifted = tc.fma(LOG2E, ROUND);
      FloatVector n = shifted.sub(ROUND);
      FloatVector r = n.fma(LN2_HI.neg(), tc);
      r = n.fma(LN2_LO.neg(), r);
      FloatVector poly = P0.fma(r, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
      FloatVector m = poly.fma(r.mul(r), r);
      var bits = shifted.reinterpretAsInts().sub(ExpParts.ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
      FloatVector scale = bits.reinterpretAsFloats();
      FloatVector dd = scale.fma(m, scale.sub(c));
      // abs: a magnitude for x's sign bit to go on (tanh)
      FloatVector magnitude = dd.fma(p, q).div(dd.add(d)).abs();
      magnitude.reinterpretAsInts().or(v.reinterpretAsInts().and(sign)).reinterpretAsFloats().intoArray(x, i);
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
      case RELU -> relu(x, off, vend);
      default -> off; // the other activations are rare in recurrent layers: exact scalar definitions
    };
    // the tail element by element, sigmoid and tanh by the same steps as the vectors (and as ScalarSimd)
    for (; i < off + len; i++) {
      x[i] = f == Activation.SIGMOID ? ExpParts.sigmoid(x[i]) : f == Activation.TANH ? ExpParts.tanh(x[i]) : f.apply(x[i]);
    }
  }

  private static int relu(float[] x, int i, int end) {
    FloatVector zero = FloatVector.zero(S);
    for (; i < end; i += L) {
      FloatVector.fromArray(S, x, i).max(zero).intoArray(x, i);
    }
    return i;
  }

  /** Row by row, a vector at a time along the row, every input read in place (no copies); a row's last elements one by one. */
  @Override
  public void lstmGateGradients(int rows, boolean[] active, float[] a, int aOff, int aStride, int pu, float[] tanhC, int tanhOff,
      float[] cPrev, int cOff, float[] dOutside, int outsideOff, float[] dh, float[] dc, int hOff, float[] out, int outStride, int u) {
    if (dOutside != null) {
      add(dOutside, outsideOff, dh, hOff, rows * u);
    }
    int whole = S.loopBound(u);
    for (int r = 0; r < rows; r++) {
      if (!active[r]) {
        continue;
      }
      int p = aOff + r * aStride;
      int t = r * u;
      int c = cOff + t;
      int h = hOff + t;
      int o = r * outStride;
      int tc0 = tanhOff + t;
      lstmRow(a, p, pu, tanhC, tc0, cPrev, c, dh, dc, h, out, o, u, whole);
      // the tail by the same steps as the vectors (and as ScalarSimd)
      for (int j = whole; j < u; j++) {
        float gi = a[p + j];
        float gf = a[p + pu + j];
        float gg = a[p + 2 * pu + j];
        float go = a[p + 3 * pu + j];
        float tc = tanhC[tc0 + j];
        float dhj = dh[h + j];
        float dcj = dc[h + j] + dhj * go * (1 - tc * tc);
        out[o + j] = dcj * gg * (gi * (1 - gi));
        out[o + u + j] = dcj * cPrev[c + j] * (gf * (1 - gf));
        out[o + 2 * u + j] = dcj * gi * (1 - gg * gg);
        out[o + 3 * u + j] = dhj * tc * (go * (1 - go));
        dc[h + j] = dcj * gf;
      }
    }
  }

  /** {@code y[yOff ..] += x[xOff ..]} for n elements. */
  private static void add(float[] x, int xOff, float[] y, int yOff, int n) {
    int i = 0;
    for (int end = S.loopBound(n); i < end; i += L) {
      FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += x[xOff + i];
    }
  }

  /** {@link #lstmGateGradients} of one row's elements {@code [0, end)}, {@code end} a multiple of the vector length. */
  private static void lstmRow(float[] a, int p, int pu, float[] tanhC, int t, float[] cPrev, int c, float[] dh, float[] dc, int h,
      float[] out, int o, int u, int end) {
    for (int j = 0; j < end; j += L) {
      FloatVector gi = FloatVector.fromArray(S, a, p + j);
      FloatVector gf = FloatVector.fromArray(S, a, p + pu + j);
      FloatVector gg = FloatVector.fromArray(S, a, p + 2 * pu + j);
      FloatVector go = FloatVector.fromArray(S, a, p + 3 * pu + j);
      FloatVector tc = FloatVector.fromArray(S, tanhC, t + j);
      FloatVector dhj = FloatVector.fromArray(S, dh, h + j);
      FloatVector dcj = FloatVector.fromArray(S, dc, h + j).add(dhj.mul(go).mul(ONE.sub(tc.mul(tc))));
      dcj.mul(gg).mul(gi.mul(ONE.sub(gi))).intoArray(out, o + j);
      dcj.mul(FloatVector.fromArray(S, cPrev, c + j)).mul(gf.mul(ONE.sub(gf))).intoArray(out, o + u + j);
      dcj.mul(gi).mul(ONE.sub(gg.mul(gg))).intoArray(out, o + 2 * u + j);
      dhj.mul(tc).mul(go.mul(ONE.sub(go))).intoArray(out, o + 3 * u + j);
      dcj.mul(gf).intoArray(dc, h + j);
    }
  }
}

package org.rnn4j.reference;

import org.rnn4j.layers.Activation;

/**
 * The two kernels the fast path spends its time in: a panel GEMM and element-wise activations.
 * {@link ScalarSimd} is plain Java; {@code VectorSimd} uses the incubating Vector API when the JVM
 * runs with {@code --add-modules jdk.incubator.vector} (see {@link SimdProvider}).
 */
interface Simd {
  /** The implementation's name, for reports. */
  String name();

  /** Whether {@link #gemm} reads {@link Packed#panels()} (else {@link Packed#rowArrays()}). */
  boolean usesPanels();

  /**
   * {@code c[r·ldc + q] (+)= Σ_k a[aOff + r·lda + k] · B[k, q]} for rows {@code r < m} and, in
   * every gate block of {@code b}, the columns of units {@code [u0, u1)} (multiples of {@link
   * Packed#NR}, or the padded end). With {@code accumulate} the products are added to {@code c},
   * else they replace it. Every implementation sums in one order — each element one chain of fused
   * multiply-adds in k order from C's value (from zero when replaced) — so plain Java and the Vector
   * API, at any width and however the rows are split, give the same bits.
   */
  default void gemm(float[] a, int aOff, int lda, int m, Packed b, int u0, int u1, float[] c, int cOff, int ldc, boolean accumulate) {
    gemm(a, aOff, lda, 1, m, b, u0, u1, c, cOff, ldc, accumulate);
  }

  /**
   * {@link #gemm} with A's element {@code (r, k)} at {@code a[aOff + r·rowStride + k·kStride]}: a
   * row-major A has {@code kStride} 1; the transpose {@code Vᵀ} of a row-major {@code V} with
   * {@code n} columns is read in place with {@code rowStride} 1 and {@code kStride} n.
   */
  void gemm(float[] a, int aOff, int rowStride, int kStride, int m, Packed b, int u0, int u1, float[] c, int cOff, int ldc,
      boolean accumulate);

  /**
   * {@code x[off .. off+len) = f(x[...])} in place. The elements {@code [off+len, off+room)} are
   * padding the caller ignores: a vector implementation may overwrite them to avoid a scalar tail.
   */
  void activate(Activation f, float[] x, int off, int len, int room);

  /**
   * The element-wise part of a default LSTM's backward step ({@link FastCell#recordsActivatedGates}),
   * in float32 as TensorFlow computes it, for a block of {@code rows} rows. First every row's h
   * gradient {@code dh[hOff + r·u ..]} gets the gradient from outside the cell added, {@code
   * dOutside[outsideOff + r·u ..]} (none if {@code dOutside} is null). Then each {@code active} row,
   * from its activated gates i, f, g, o at {@code a[aOff + r·aStride + gate·pu ..]}, φ(c') at {@code
   * tanhC[tanhOff + r·u ..]}, the previous c at {@code cPrev[cOff + r·u ..]} and c's gradient {@code dc[hOff +
   * r·u ..]}: c's total gradient {@code dc + dh·o·(1 − φ²)}, the gates' pre-activation gradients into
   * {@code out[r·outStride + gate·u ..]} (the derivatives from the activations' outputs, σ' = σ(1 −
   * σ), tanh' = 1 − tanh²) and the previous c's gradient {@code dc·f} into dc. The other rows' out and
   * dc are left alone. Every implementation multiplies in the same order, so they give the same bits.
   */
  void lstmGateGradients(int rows, boolean[] active, float[] a, int aOff, int aStride, int pu, float[] tanhC, int tanhOff,
      float[] cPrev, int cOff, float[] dOutside, int outsideOff, float[] dh, float[] dc, int hOff, float[] out, int outStride, int u);
}

package org.rnn4j.reference;

import org.rnn4j.layers.Activation;

/** The kernels in plain Java: correct everywhere, vectorized only as far as the JIT manages. */
final class ScalarSimd implements Simd {
  /** Per-thread accumulators of one row of a panel, reused so that a product allocates nothing. */
  private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[Packed.NR]);

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void gemm(float[] a, int aOff, int lda, int m, Packed b, int u0, int u1, float[] c, int cOff, int ldc, boolean accumulate) {
    for (int g = 0; g < b.gates; g++) {
      panels(a, aOff, lda, m, b, b.panel(g, u0), b.panel(g, Packed.roundUp(u1, Packed.NR)), c, cOff, ldc, accumulate);
    }
  }

  private static void panels(float[] a, int aOff, int lda, int m, Packed b, int p0, int p1, float[] c, int cOff, int ldc, boolean accumulate) {
    final int nr = Packed.NR;
    final int k = b.rows;
    final float[] w = b.data;
    float[] acc = ACC.get();
    for (int p = p0; p < p1; p++) {
      int base = p * k * nr;
      int col = p * nr;
      for (int r = 0; r < m; r++) {
        int ci = cOff + r * ldc + col;
        if (accumulate) {
          System.arraycopy(c, ci, acc, 0, nr);
        } else {
          java.util.Arrays.fill(acc, 0f);
        }
        int ai = aOff + r * lda;
        for (int kk = 0; kk < k; kk++) {
          float av = a[ai + kk];
          int wi = base + kk * nr;
          for (int j = 0; j < nr; j++) {
            acc[j] = Math.fma(av, w[wi + j], acc[j]);
          }
        }
        System.arraycopy(acc, 0, c, ci, nr);
      }
    }
  }

  @Override
  public void activate(Activation f, float[] x, int off, int len, int room) {
    switch (f) {
      case LINEAR -> {}
      case SIGMOID -> {
        for (int i = off; i < off + len; i++) {
          x[i] = (float) (1 / (1 + Math.exp(-x[i])));
        }
      }
      case TANH -> {
        for (int i = off; i < off + len; i++) {
          x[i] = tanh(x[i]);
        }
      }
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

  /**
   * tanh from the JIT's intrinsic {@code Math.exp} (Math.tanh is not one on every JVM): in double,
   * sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|), and x itself where tanh x = x − x³/3 rounds to x.
   */
  static float tanh(float x) {
    double ax = Math.abs((double) x);
    if (ax < 1e-4) {
      return x;
    }
    double e = Math.exp(-2 * ax);
    return (float) Math.copySign((1 - e) / (1 + e), x);
  }
}

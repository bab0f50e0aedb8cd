package org.rnn4j.testing;

import java.util.SplittableRandom;
import org.rnn4j.Mask;
import org.rnn4j.Tensor;

/** Seeded random inputs, states and masks for the randomized tests. */
public final class RandomData {
  private RandomData() {}

  /** Uniform in [lo, hi). */
  public static Tensor uniform(long seed, float lo, float hi, int... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = lo + (hi - lo) * (float) r.nextDouble();
    }
    return Tensor.wrap(shape, data);
  }

  /** A mask with each step valid with probability {@code pValid}; some rows padded at the end. */
  public static Mask mask(long seed, int batch, int steps, double pValid) {
    SplittableRandom r = new SplittableRandom(seed);
    boolean[][] m = new boolean[batch][steps];
    for (int b = 0; b < batch; b++) {
      int length = b % 2 == 0 ? steps : 1 + r.nextInt(steps);
      for (int t = 0; t < steps; t++) {
        m[b][t] = t < length && r.nextDouble() < pValid;
      }
    }
    return Mask.of(m);
  }
}

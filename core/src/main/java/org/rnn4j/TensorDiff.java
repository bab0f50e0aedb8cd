package org.rnn4j;

import java.util.Arrays;

/**
 * How far one tensor is from another: the largest absolute difference, the largest difference in
 * float32 units in the last place (ULP), and whether every element is within a tolerance in
 * NumPy's {@code allclose} sense ({@code |actual - expected| <= atol + rtol * |expected|}). NaN
 * matches NaN and an infinity matches the same infinity; anything else against NaN or infinity is
 * an infinite difference.
 *
 * @param maxAbs the largest absolute difference
 * @param maxUlp the largest distance in float32 ULPs
 * @param worstIndex the row-major index of the element with the largest absolute difference
 * @param excess the largest {@code |diff| - (atol + rtol·|expected|)}; positive means out of tolerance
 */
public record TensorDiff(double maxAbs, long maxUlp, int worstIndex, double excess) {

  /**
   * Compares {@code actual} with {@code expected} under a tolerance.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static TensorDiff of(Tensor expected, Tensor actual, double atol, double rtol) {
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      throw new IllegalArgumentException(
          "shapes differ: expected " + Shapes.format(expected.shape()) + ", actual " + Shapes.format(actual.shape()));
    }
    double maxAbs = 0;
    long maxUlp = 0;
    int worst = -1;
    double excess = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < expected.size(); i++) {
      float e = expected.getFlat(i);
      float a = actual.getFlat(i);
      double d = difference(e, a);
      long ulp = ulps(e, a);
      if (worst < 0 || d > maxAbs) {
        maxAbs = d;
        worst = i;
      }
      maxUlp = Math.max(maxUlp, ulp);
      double scale = Float.isFinite(e) ? rtol * Math.abs((double) e) : 0;
      excess = Math.max(excess, d - (atol + scale));
    }
    return new TensorDiff(maxAbs, maxUlp, Math.max(worst, 0), expected.size() == 0 ? 0 : excess);
  }

  /** Whether every element is within the tolerance the diff was computed with. */
  public boolean withinTolerance() {
    return excess <= 0;
  }

  /** The absolute difference of two elements: 0 for NaN against NaN or equal infinities, else infinite for NaN or infinity. */
  public static double difference(float e, float a) {
    if (Float.isNaN(e) || Float.isNaN(a)) {
      return Float.isNaN(e) && Float.isNaN(a) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Float.isInfinite(e) || Float.isInfinite(a)) {
      return e == a ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs((double) a - (double) e);
  }

  /** The number of representable float32 values between two floats (0 for equal, NaN pairs). */
  static long ulps(float e, float a) {
    if (Float.isNaN(e) || Float.isNaN(a)) {
      return Float.isNaN(e) && Float.isNaN(a) ? 0 : Long.MAX_VALUE;
    }
    return Math.abs(ordered(e) - ordered(a));
  }

  /** Maps float bits to a monotonic integer line (negative floats mirrored below zero). */
  private static long ordered(float f) {
    int bits = Float.floatToIntBits(f);
    return bits < 0 ? -(long) (bits & 0x7fffffff) : bits;
  }
}

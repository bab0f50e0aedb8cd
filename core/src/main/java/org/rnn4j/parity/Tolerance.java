package org.rnn4j.parity;

/**
 * An element-wise tolerance in NumPy's {@code allclose} sense: {@code |actual - expected| <= atol
 * + rtol·|expected|}.
 */
public record Tolerance(double atol, double rtol) {
  /** rnn4j's float32 default: 1e-5 absolute, no relative part. */
  public static final Tolerance FLOAT32 = new Tolerance(1e-5, 0);

  public Tolerance {
    if (!(atol >= 0) || !(rtol >= 0) || Double.isInfinite(atol) || Double.isInfinite(rtol)) {
      throw new IllegalArgumentException("tolerances must be finite and non-negative, got atol=" + atol + ", rtol=" + rtol);
    }
  }

  @Override
  public String toString() {
    return "|diff| <= " + plain(atol) + " + " + plain(rtol) + "·|expected|";
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}

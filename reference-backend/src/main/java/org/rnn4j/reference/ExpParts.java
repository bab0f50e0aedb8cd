package org.rnn4j.reference;

/**
 * The exponential both kernels build sigmoid and tanh from, as in Cephes' expf (within 2 ulp):
 * t clamped to float's exponent range, t = n·ln 2 + r with n = round(t / ln 2) (adding 1.5·2^23
 * rounds to an integer) and ln 2 in two parts, e^r − 1 = r + r²·P(r) with P of degree 5, 2^n from
 * the float's exponent bits.
 */
final class ExpParts {
  private ExpParts() {}

  static final float LOG2E = 1.44269504088896341f;
  /** 1.5·2^23: added to t·log2(e), it leaves no fraction bits, so the sum's low bits hold n. */
  static final float ROUND = 12582912f;
  static final int ROUND_BITS = Float.floatToIntBits(ROUND);
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  static final float MAX = 88.3762626647949f;
  static final float MIN = -87.3365447505531f;
  static final float P0 = 1.9875691500e-4f;
  static final float P1 = 1.3981999507e-3f;
  static final float P2 = 8.3334519073e-3f;
  static final float P3 = 4.1665795894e-2f;
  static final float P4 = 1.6666665459e-1f;
  static final float P5 = 5.0000001201e-1f;
}

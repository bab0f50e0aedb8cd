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

  /** The sigmoid of one element from these steps: the plain kernel's short rows and the vector kernel's tails. */
  static float sigmoid(float x) {
    float t = clampedExponent(-x);
    float rounded = roundedExponent(t);
    return sigmoidFrom(powerOfTwo(rounded), reducedExpm1(t, rounded - ROUND));
  }

  /** tanh of one element from these steps (see {@link #sigmoid}). */
  static float tanh(float x) {
    float t = clampedExponent(-2f * Math.abs(x));
    float rounded = roundedExponent(t);
    return Math.copySign(tanhFrom(powerOfTwo(rounded), reducedExpm1(t, rounded - ROUND)), x);
  }

  /** t within float's exponent range. */
  static float clampedExponent(float t) {
    return Math.max(Math.min(t, MAX), MIN);
  }

  /** {@link #ROUND} + n with n = round(t / ln 2): n is the float's low bits, and this minus ROUND. */
  static float roundedExponent(float t) {
    return Math.fma(t, LOG2E, ROUND);
  }

  /** e^r − 1 for r = t − n·ln 2. */
  static float reducedExpm1(float t, float n) {
    float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, t));
    float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(P0, r, P1), r, P2), r, P3), r, P4), r, P5);
    return Math.fma(p, r * r, r);
  }

  /**
   * 2^n from {@link #roundedExponent}'s ROUND + n: its bits are ROUND's plus n, and shifted up to
   * the exponent field ROUND's bits drop out (no float-to-int conversion, which C2 leaves scalar
   * and which took twice as long).
   */
  static float powerOfTwo(float rounded) {
    return Float.intBitsToFloat((Float.floatToRawIntBits(rounded) + 127) << 23);
  }

  /** 1/(1 + e^t), e^t = scale·(m + 1). */
  static float sigmoidFrom(float scale, float m) {
    return 1f / (1f + Math.fma(scale, m, scale));
  }

  /** −(e^t − 1)/(2 + e^t − 1) = tanh(|x|) for t = −2|x|, e^t = scale·(m + 1). */
  static float tanhFrom(float scale, float m) {
    float em1 = Math.fma(scale, m, scale - 1f);
    return -em1 / (2f + em1);
  }
}

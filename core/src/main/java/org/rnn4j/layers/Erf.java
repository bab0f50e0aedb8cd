package org.rnn4j.layers;

/**
 * The error function in double precision (Java's Math has none), via the regularized lower
 * incomplete gamma function: {@code erf(x) = sign(x) P(1/2, x^2)}, with its series for small
 * arguments and Lentz's continued fraction for large ones. Accurate to about 1e-15.
 */
final class Erf {
  private static final double LOG_GAMMA_HALF = 0.5 * Math.log(Math.PI);
  private static final double EPS = 1e-16;
  private static final double TINY = 1e-300;
  private static final int MAX_ITERATIONS = 500;

  private Erf() {}

  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x == 0) {
      return x;
    }
    double p = regularizedGammaP(x * x);
    return x < 0 ? -p : p;
  }

  /** P(1/2, z) for z >= 0. */
  private static double regularizedGammaP(double z) {
    if (Double.isInfinite(z)) {
      return 1.0;
    }
    final double a = 0.5;
    double prefactor = Math.exp(-z + a * Math.log(z) - LOG_GAMMA_HALF);
    if (z < a + 1) {
      double term = 1.0 / a;
      double sum = term;
      for (int n = 1; n < MAX_ITERATIONS; n++) {
        term *= z / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPS) {
          break;
        }
      }
      return sum * prefactor;
    }
    double b = z + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = b + an / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPS) {
        break;
      }
    }
    return 1.0 - prefactor * h;
  }
}

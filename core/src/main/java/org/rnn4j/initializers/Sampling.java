package org.rnn4j.initializers;

import java.util.SplittableRandom;

/**
 * Random draws built only on {@link SplittableRandom#nextDouble()}, whose algorithm (SplitMix64)
 * is fixed by its specification, so initial weights do not change between JDK versions.
 */
final class Sampling {
  private Sampling() {}

  static double uniform(SplittableRandom random, double min, double max) {
    return min + (max - min) * random.nextDouble();
  }

  /** A standard normal draw (Box-Muller; one of the pair is discarded to keep draws independent of order). */
  static double normal(SplittableRandom random) {
    double u1;
    do {
      u1 = random.nextDouble();
    } while (u1 == 0.0);
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** A normal draw re-drawn until it lies within two standard deviations, as Keras truncates. */
  static double truncatedNormal(SplittableRandom random, double mean, double stddev) {
    double z;
    do {
      z = normal(random);
    } while (Math.abs(z) > 2.0);
    return mean + stddev * z;
  }
}

package org.rnn4j.initializers;

import java.util.SplittableRandom;

/**
 * How a weight's initial values are drawn, as Keras' {@code keras.initializers}. Initializers
 * follow Keras' distributions and shapes exactly; the random stream is rnn4j's own (SplitMix64
 * from {@link SplittableRandom}, Box-Muller normals), so a given seed always yields the same
 * weights on every backend and JVM, but not the same numbers as a Keras run with that seed.
 */
public sealed interface Initializer
    permits Zeros,
        Ones,
        Constant,
        VarianceScaling,
        Orthogonal,
        RandomUniform,
        RandomNormal,
        TruncatedNormal,
        Identity,
        UnitForgetBias,
        UnsupportedInitializer {

  /** The Keras class name this initializer serializes under, e.g. {@code GlorotUniform}. */
  String kerasClassName();

  /**
   * Draws values for a weight of the given shape, in row-major order.
   *
   * @throws org.rnn4j.InvalidModelException if this initializer cannot produce that shape
   */
  float[] generate(int[] shape, SplittableRandom random);

  static Initializer zeros() {
    return new Zeros();
  }

  static Initializer ones() {
    return new Ones();
  }

  static Initializer constant(double value) {
    return new Constant(value);
  }

  static Initializer glorotUniform() {
    return VarianceScaling.glorotUniform();
  }

  static Initializer orthogonal() {
    return new Orthogonal(1.0);
  }
}

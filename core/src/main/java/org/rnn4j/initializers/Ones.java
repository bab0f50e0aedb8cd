package org.rnn4j.initializers;

import java.util.SplittableRandom;

/** All ones (Keras {@code Ones}). */
public record Ones() implements Initializer {
  @Override
  public String kerasClassName() {
    return "Ones";
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    return new Constant(1.0).generate(shape, random);
  }
}

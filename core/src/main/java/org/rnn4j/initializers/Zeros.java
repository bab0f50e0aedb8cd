package org.rnn4j.initializers;

import java.util.SplittableRandom;
import org.rnn4j.Shapes;

/** All zeros (Keras {@code Zeros}). */
public record Zeros() implements Initializer {
  @Override
  public String kerasClassName() {
    return "Zeros";
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    return new float[Shapes.elementCount(shape)];
  }
}

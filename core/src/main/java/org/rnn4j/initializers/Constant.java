package org.rnn4j.initializers;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rnn4j.Shapes;

/** Every element {@code value} (Keras {@code Constant}). */
public record Constant(double value) implements Initializer {
  @Override
  public String kerasClassName() {
    return "Constant";
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    float[] out = new float[Shapes.elementCount(shape)];
    Arrays.fill(out, (float) value);
    return out;
  }
}

package org.rnn4j.initializers;

import java.util.SplittableRandom;
import org.rnn4j.Shapes;

/** Normal with the given mean and standard deviation (Keras {@code RandomNormal}). */
public record RandomNormal(double mean, double stddev) implements Initializer {
  @Override
  public String kerasClassName() {
    return "RandomNormal";
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    float[] out = new float[Shapes.elementCount(shape)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (mean + stddev * Sampling.normal(random));
    }
    return out;
  }
}

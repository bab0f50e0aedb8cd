package org.rnn4j.initializers;

import java.util.SplittableRandom;
import org.rnn4j.Shapes;

/** Normal re-drawn beyond two standard deviations (Keras {@code TruncatedNormal}). */
public record TruncatedNormal(double mean, double stddev) implements Initializer {
  @Override
  public String kerasClassName() {
    return "TruncatedNormal";
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    float[] out = new float[Shapes.elementCount(shape)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) Sampling.truncatedNormal(random, mean, stddev);
    }
    return out;
  }
}

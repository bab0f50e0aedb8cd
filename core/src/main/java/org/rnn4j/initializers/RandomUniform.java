package org.rnn4j.initializers;

import java.util.SplittableRandom;
import org.rnn4j.Shapes;

/** Uniform in {@code [minval, maxval)} (Keras {@code RandomUniform}). */
public record RandomUniform(double minval, double maxval) implements Initializer {
  @Override
  public String kerasClassName() {
    return "RandomUniform";
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    float[] out = new float[Shapes.elementCount(shape)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) Sampling.uniform(random, minval, maxval);
    }
    return out;
  }
}

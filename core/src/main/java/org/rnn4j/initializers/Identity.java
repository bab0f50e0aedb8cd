package org.rnn4j.initializers;

import java.util.SplittableRandom;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/** {@code gain} times the identity matrix (Keras {@code Identity}); 2-D shapes only. */
public record Identity(double gain) implements Initializer {
  @Override
  public String kerasClassName() {
    return "Identity";
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    if (shape.length != 2) {
      throw new InvalidModelException(
          "Identity initializer needs a 2-D weight, got shape " + Shapes.format(shape));
    }
    float[] out = new float[Shapes.elementCount(shape)];
    for (int i = 0; i < Math.min(shape[0], shape[1]); i++) {
      out[i * shape[1] + i] = (float) gain;
    }
    return out;
  }
}

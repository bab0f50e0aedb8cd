package org.rnn4j.initializers;

import java.util.SplittableRandom;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * An LSTM bias with {@code unit_forget_bias=True}: the bias initializer for the input gate, ones
 * for the forget gate, the bias initializer for the cell and output gates (drawn as Keras does,
 * as vectors of {@code units} and {@code 2 units}). It changes the initial values only.
 */
public record UnitForgetBias(Initializer bias, int units) implements Initializer {
  @Override
  public String kerasClassName() {
    return bias.kerasClassName();
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    if (shape.length != 1 || shape[0] != 4 * units) {
      throw new InvalidModelException(
          "unit forget bias expects shape (" + 4 * units + ",), got " + Shapes.format(shape));
    }
    float[] out = new float[4 * units];
    System.arraycopy(bias.generate(new int[] {units}, random), 0, out, 0, units);
    java.util.Arrays.fill(out, units, 2 * units, 1f);
    System.arraycopy(bias.generate(new int[] {2 * units}, random), 0, out, 2 * units, 2 * units);
    return out;
  }
}

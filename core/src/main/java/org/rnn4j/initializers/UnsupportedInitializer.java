package org.rnn4j.initializers;

import java.util.SplittableRandom;
import org.rnn4j.InvalidModelException;

/**
 * An initializer a Keras config names but rnn4j cannot draw from. A model that carries one still
 * loads and runs with weights from a file; only asking it for initial values is an error.
 */
public record UnsupportedInitializer(String kerasClassName) implements Initializer {
  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    throw new InvalidModelException(
        "cannot initialize weights with unsupported initializer '" + kerasClassName + "'");
  }
}

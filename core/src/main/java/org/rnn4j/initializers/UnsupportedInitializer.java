package org.rnn4j.initializers;

import java.util.SplittableRandom;
import org.rnn4j.InvalidModelException;

/**
 * An initializer a Keras config names but rnn4j cannot draw from. A model that carries one still
 * loads and runs with weights from a file; only asking it for initial values is an error.
 *
 * @param kerasClassName the initializer as the config gives it
 * @param origin where the config names it, e.g. {@code layer 1 ('lstm'): argument 'kernel_initializer'}
 */
public record UnsupportedInitializer(String kerasClassName, String origin) implements Initializer {
  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    throw new InvalidModelException(
        origin + ": cannot initialize weights with unsupported initializer '" + kerasClassName + "'");
  }
}

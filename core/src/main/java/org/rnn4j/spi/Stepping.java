package org.rnn4j.spi;

import java.util.Set;

/**
 * Implemented by prepared models whose backend can step a stream in place (see {@link Stepper});
 * {@link org.rnn4j.StatefulModel} uses it when present and falls back to whole calls otherwise.
 */
public interface Stepping {
  /**
   * A stepper for {@code batch} rows that carries the states of the {@code carried} layers (the
   * others start from zeros at every step), or null when this model cannot be stepped in place
   * (its layers, or the backend's configuration, need the general path).
   */
  Stepper stepper(int batch, Set<Integer> carried);
}

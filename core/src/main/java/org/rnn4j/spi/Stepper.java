package org.rnn4j.spi;

import org.rnn4j.LayerStates;

/**
 * A backend's in-place path for {@link org.rnn4j.StatefulModel#step}: one time step for a fixed
 * number of batch rows, read from and written to the caller's arrays, with the carried states kept
 * in the stepper's own arrays so that a step allocates nothing. Used by one {@code StatefulModel}
 * at a time, under its lock; sizes are checked by the caller.
 */
public interface Stepper {
  /** The batch rows this stepper was made for. */
  int batch();

  /**
   * Runs one step: {@code input} holds {@code (batch, features)} row-major; the model's output for
   * the step is written row-major to {@code output}.
   *
   * @throws IllegalStateException if the prepared model is closed
   */
  void step(float[] input, float[] output);

  /**
   * Loads the carried layers' states (shapes {@code (batch, size)}), or zeros for {@link
   * LayerStates#empty()}.
   *
   * @throws org.rnn4j.InvalidInputException if a state has the wrong shape
   */
  void load(LayerStates states);

  /** A copy of the carried layers' states. */
  LayerStates states();

  /** Zeroes the carried states of the given rows (already checked to be in range). */
  void resetRows(int... rows);
}

package org.rnn4j.reference;

/**
 * One time step of one cell for one batch row. The three implementations are the cell equations
 * written out: each pre-activation (a row of {@code x·W + h·U + b}) is accumulated in double and
 * rounded once to float32, each activation is evaluated exactly and rounded once, and the
 * element-wise state updates run in float32 as in Keras. {@link ExactCell} puts any of them
 * behind the one {@link RecurrentLoop}.
 */
interface CellStep {

  /** The input feature size. */
  int inputSize();

  /** The output size (h). */
  int units();

  /** The sizes of the states in Keras order; the first state is h, the output. */
  int[] stateSizes();

  /**
   * Computes the new states from input row {@code x[xOff .. xOff+inputSize)} and the current
   * states; {@code next[k]} receives state k. {@code next[0]} is the output h.
   */
  void step(float[] x, int xOff, float[][] states, float[][] next);
}

package org.rnn4j.reference;

/**
 * One cell's arithmetic for a block of batch rows, behind the one recurrent loop ({@link
 * RecurrentLoop}), which owns the time order, the masks and what is output. {@link FastCell}
 * (packed panels, SIMD GEMMs) and {@link ExactCell} (the equations, double accumulation, one row
 * at a time) implement it; a backward pass is written once against the same loop.
 */
interface CellMath {
  /** The input feature size. */
  int inputSize();

  /** The output size (h). */
  int units();

  /** The states: 1 (h) or 2 (h, c). */
  int stateCount();

  /** Floats per row that {@link #project} writes and {@link #step} reads. */
  int projectionWidth();

  /** Scratch floats per row {@link #step} needs in {@link StepArrays#rec}. */
  int recurrentScratch();

  /** Scratch floats per row {@link #step} needs in {@link StepArrays#resetH}. */
  int resetScratch();

  /** How many zero-offset scratch rows ({@link StepArrays#lanes}) {@link #step} needs, of {@link #laneWidth} floats each. */
  int lanes();

  /** Floats per lane for a block of {@code rows} rows. */
  int laneWidth(int rows);

  /** Multiply-adds of one step for one batch row, to decide on threads. */
  long stepWork();

  /** Fills {@code proj} (rows of {@link #projectionWidth} from {@code off}) from {@code rows} input rows of {@code x}. */
  void project(Simd simd, float[] x, int rows, float[] proj, int off);

  /**
   * How many arrays of gates {@link #step} can record for a backward pass ({@link
   * StepArrays#recordA}, {@link StepArrays#recordQ}; pre-activations unless the cell says
   * otherwise): 0 when the backward pass recomputes them.
   */
  default int recordedArrays() {
    return 0;
  }

  /**
   * Whether what {@link #step} leaves in its projection rows is what it records ({@link
   * StepArrays#recordA}): the loop may then hand it the record itself as those rows, and the step
   * copies nothing.
   */
  default boolean recordsStepRows() {
    return false;
  }

  /**
   * Whether {@link #step} also records φ(c') of its rows ({@link StepArrays#recordCells}), which an
   * LSTM's step computes for h anyway and its backward pass needs again.
   */
  default boolean recordsActivatedCells() {
    return false;
  }

  /** One time step for the block in {@code s}: from its current states and projection to its next states. */
  void step(StepArrays s);
}

package org.rnn4j.reference;

/**
 * The arrays of one time step of a block of rows: set by the loop before each {@link
 * CellMath#step} and reused for every step, so that a step allocates nothing.
 */
final class StepArrays {
  Simd simd;
  /** Rows in the block. */
  int rows;
  /** The projection ({@link CellMath#projectionWidth} per row) from {@link #zOff}; a cell may overwrite it. */
  float[] z;
  int zOff;
  /** Current and next states, {@code rows · units} each ({@code c} null for a cell with one state). */
  float[] hCur;
  float[] hNext;
  float[] cCur;
  float[] cNext;
  /** Scratch of the sizes the cell asks for. */
  float[] rec;
  float[] resetH;
  /**
   * Zero-offset rows ({@link CellMath#lanes}): C2 vectorizes a loop only over arrays it indexes
   * alike, so element-wise work goes through them.
   */
  float[][] lanes;
  /**
   * When a backward pass will follow: where the cell copies this step's gates (rows of
   * {@link CellMath#projectionWidth} from {@link #recordOff}, the layout its backward pass reads),
   * and for GRU reset_after the recurrent product likewise; else null.
   */
  float[] recordA;
  float[] recordQ;
  int recordOff;
  /**
   * When a backward pass will follow and the cell records them ({@link
   * CellMath#recordsActivatedCells}): where the step copies φ(c') of its rows, {@code rows · units}
   * from {@link #recordCellsOff}; else null.
   */
  float[] recordCells;
  int recordCellsOff;
}

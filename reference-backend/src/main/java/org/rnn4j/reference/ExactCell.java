package org.rnn4j.reference;

/**
 * A {@link CellStep} (the equations, double accumulation) as the loop's {@link CellMath}: the
 * projection is the input row itself, and each step runs the cell's equations row by row.
 */
final class ExactCell implements CellMath {
  private final CellStep cell;

  ExactCell(CellStep cell) {
    this.cell = cell;
  }

  @Override
  public int inputSize() {
    return cell.inputSize();
  }

  @Override
  public int units() {
    return cell.units();
  }

  @Override
  public int stateCount() {
    return cell.stateSizes().length;
  }

  @Override
  public int projectionWidth() {
    return cell.inputSize();
  }

  @Override
  public int recurrentScratch() {
    return 0;
  }

  @Override
  public int resetScratch() {
    return 0;
  }

  @Override
  public int lanes() {
    return 0;
  }

  @Override
  public int laneWidth(int rows) {
    return 0;
  }

  @Override
  public long stepWork() {
    return 4L * cell.units() * (cell.inputSize() + cell.units());
  }

  @Override
  public void project(Simd simd, float[] x, int rows, float[] proj, int off) {
    System.arraycopy(x, 0, proj, off, rows * cell.inputSize());
  }

  @Override
  public void step(StepArrays s) {
    int u = cell.units();
    int n = stateCount();
    float[][] states = new float[n][u];
    float[][] next = new float[n][u];
    for (int r = 0; r < s.rows; r++) {
      System.arraycopy(s.hCur, r * u, states[0], 0, u);
      if (n == 2) {
        System.arraycopy(s.cCur, r * u, states[1], 0, u);
      }
      cell.step(s.z, s.zOff + r * cell.inputSize(), states, next);
      System.arraycopy(next[0], 0, s.hNext, r * u, u);
      if (n == 2) {
        System.arraycopy(next[1], 0, s.cNext, r * u, u);
      }
    }
  }
}

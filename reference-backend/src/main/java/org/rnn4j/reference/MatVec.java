package org.rnn4j.reference;

/** Row-vector times matrix products accumulated in double, the one primitive the exact cells use. */
final class MatVec {
  private MatVec() {}

  /**
   * {@code acc[j] += sum_i v[vOff+i] · m[i, col0+j]} for {@code j < width}, where {@code m} is
   * row-major with {@code cols} columns and {@code rows} rows.
   */
  static void accumulate(double[] acc, float[] v, int vOff, int rows, float[] m, int cols, int col0, int width) {
    for (int i = 0; i < rows; i++) {
      double vi = v[vOff + i];
      if (vi == 0) {
        continue;
      }
      int base = i * cols + col0;
      for (int j = 0; j < width; j++) {
        acc[j] += vi * m[base + j];
      }
    }
  }

  /** {@code acc[j] = bias[off+j]} (or 0 without bias). */
  static void init(double[] acc, float[] bias, int off, int width) {
    for (int j = 0; j < width; j++) {
      acc[j] = bias == null ? 0.0 : bias[off + j];
    }
  }
}

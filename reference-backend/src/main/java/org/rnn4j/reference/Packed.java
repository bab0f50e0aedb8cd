package org.rnn4j.reference;

/**
 * A weight matrix {@code (rows, cols)} repacked for the GEMM kernels: columns in panels of {@link
 * #NR}, each panel stored row by row ({@code data[(p·rows + k)·NR + j]}), so that the kernel reads
 * every panel as one sequential stream. Gate blocks are padded: a gate's {@code units} columns
 * start at a multiple of {@link #NR} ({@code gate·paddedUnits}); padding columns are zero.
 */
final class Packed {
  /** Panel width, in floats. */
  static final int NR = 16;

  final int rows;
  /** Gate blocks and their padded width ({@code gates·paddedUnits = cols}). */
  final int gates;
  final int units;
  final int paddedUnits;
  final int cols;
  final int panels;
  final float[] data;

  private Packed(int rows, int gates, int units, float[] data) {
    this.rows = rows;
    this.gates = gates;
    this.units = units;
    this.paddedUnits = roundUp(units, NR);
    this.cols = gates * paddedUnits;
    this.panels = cols / NR;
    this.data = data;
  }

  static int roundUp(int n, int m) {
    return (n + m - 1) / m * m;
  }

  /**
   * Packs a row-major {@code (rows, gates·units)} Keras weight whose last axis holds {@code gates}
   * blocks of {@code units} columns (LSTM i, f, c, o; GRU z, r, h; one block for SimpleRNN and Dense).
   */
  static Packed of(float[] w, int rows, int gates, int units) {
    int padded = roundUp(units, NR);
    int cols = gates * padded;
    float[] data = new float[rows * cols];
    int width = gates * units;
    // row by row, each a sequential read (large operands are packed per call in the backward pass)
    for (int k = 0; k < rows; k++) {
      for (int gate = 0; gate < gates; gate++) {
        for (int unit = 0; unit < units; unit++) {
          int q = gate * padded + unit;
          data[((q / NR) * rows + k) * NR + q % NR] = w[k * width + gate * units + unit];
        }
      }
    }
    return new Packed(rows, gates, units, data);
  }

  /** A bias {@code (gates·units,)} in the packed column order (padding zero). */
  static float[] bias(float[] b, int bOff, int gates, int units) {
    int padded = roundUp(units, NR);
    float[] out = new float[gates * padded];
    if (b == null) {
      return out;
    }
    for (int g = 0; g < gates; g++) {
      System.arraycopy(b, bOff + g * units, out, g * padded, units);
    }
    return out;
  }

  /** The first panel of gate {@code gate}'s columns for units from {@code unit} (a multiple of NR). */
  int panel(int gate, int unit) {
    return (gate * paddedUnits + unit) / NR;
  }
}

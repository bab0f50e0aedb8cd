package org.rnn4j.reference;

import java.util.Arrays;

/**
 * A weight matrix {@code (rows, cols)} repacked for the GEMM kernels, in one of two layouts (the
 * other built on first use): {@link #panels()} — columns in panels of {@link #NR}, each panel stored
 * row by row ({@code data[(p·rows + k)·NR + j]}), so that the Vector API kernel reads every panel as
 * one sequential stream — or {@link #rowArrays()} — one array per row, which the plain-Java kernel
 * needs because HotSpot vectorizes a loop only when all its arrays share one index. Gate blocks are
 * padded in both: a gate's {@code units} columns start at a multiple of {@link #NR} ({@code
 * gate·paddedUnits}); padding columns are zero.
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
  private volatile float[] panelData;
  private volatile float[][] rowData;

  private Packed(int rows, int gates, int units, float[] panelData, float[][] rowData) {
    this.rows = rows;
    this.gates = gates;
    this.units = units;
    this.paddedUnits = roundUp(units, NR);
    this.cols = gates * paddedUnits;
    this.panels = cols / NR;
    this.panelData = panelData;
    this.rowData = rowData;
  }

  static int roundUp(int n, int m) {
    return (n + m - 1) / m * m;
  }

  /**
   * Packs a row-major {@code (rows, gates·units)} Keras weight whose last axis holds {@code gates}
   * blocks of {@code units} columns (LSTM i, f, c, o; GRU z, r, h; one block for SimpleRNN and Dense).
   */
  static Packed of(float[] w, int rows, int gates, int units) {
    Packed p = empty(rows, gates, units, SimdProvider.best(), null);
    p.fillRows(w, 0, rows);
    return p;
  }

  /**
   * A {@code (rows, gates·units)} matrix for the caller to fill with {@link #fillRows}, from several
   * threads if it likes, in the layout {@code simd} reads (its other layout is built on first use,
   * once: a matrix filled again must be in the layout it is read in), its data in arrays {@code ws}
   * reuses from call to call — one of its recorded arrays (the panel layout) or its {@link
   * Workspace#rows} (one array per row) — or, without a workspace, in new arrays.
   */
  static Packed empty(int rows, int gates, int units, Simd simd, Workspace ws) {
    int cols = gates * roundUp(units, NR);
    if (simd.usesPanels()) {
      return new Packed(rows, gates, units, ws == null ? new float[rows * cols] : ws.recorded(rows * cols), null);
    }
    return new Packed(rows, gates, units, null, ws == null ? new float[rows][cols] : ws.rows(rows, cols));
  }

  /**
   * A matrix of {@code rows} rows (at most this one's) in this one's arrays, laid out as its own:
   * a shorter operand in a buffer reused, which it overwrites.
   */
  Packed withRows(int rows) {
    if (rows > this.rows) {
      throw new IllegalArgumentException(rows + " rows in a buffer of " + this.rows);
    }
    return new Packed(rows, gates, units, panelData, rowData);
  }

  /** Rows [r0, r1) of the row-major Keras-layout {@code w} into this matrix (see {@link #of}). */
  void fillRows(float[] w, int r0, int r1) {
    putRows(w, r0 * gates * units, r0, r1 - r0);
  }

  /** {@code count} rows of a row-major Keras-layout matrix, from {@code w[off]}, as this matrix's rows from {@code r0}. */
  void putRows(float[] w, int off, int r0, int count) {
    int logical = gates * units;
    if (panelData == null) {
      for (int i = 0; i < count; i++) {
        paddedRow(w, off + i * logical, gates, units, rowData[r0 + i]);
      }
      return;
    }
    // panel by panel, where the rows lie one after the other: each its gate's columns there, then
    // the gate's padding
    for (int p = 0; p < panels; p++) {
      int gate = p * NR / paddedUnits;
      int unit = p * NR - gate * paddedUnits;
      int filled = Math.max(0, Math.min(NR, units - unit));
      int from = off + gate * units + unit;
      int to = panelOffset(p, r0, rows);
      for (int i = 0; i < count; i++, from += logical, to += NR) {
        if (filled == NR) {
          System.arraycopy(w, from, panelData, to, NR); // the common case: a fixed-length copy, no fill call
        } else {
          if (filled > 0) {
            System.arraycopy(w, from, panelData, to, filled);
          }
          Arrays.fill(panelData, to + filled, to + NR, 0f);
        }
      }
    }
  }

  /** A Keras weight's row (from {@code w[at]}) with each gate's columns starting at a multiple of NR. */
  private static void paddedRow(float[] w, int at, int gates, int units, float[] row) {
    int padded = roundUp(units, NR);
    for (int gate = 0; gate < gates; gate++) {
      System.arraycopy(w, at + gate * units, row, gate * padded, units);
      Arrays.fill(row, gate * padded + units, (gate + 1) * padded, 0f); // a reused row's padding too
    }
  }

  /** Where row {@code k} of panel {@code p} starts in the panel layout of a {@code rows}-row matrix. */
  private static int panelOffset(int p, int k, int rows) {
    return (p * rows + k) * NR;
  }

  /** A packed row of {@code cols} floats (from {@code row[off]}) as row {@code k} of the panels. */
  private static void rowIntoPanels(float[] row, int off, int cols, int k, int rows, float[] data) {
    for (int p = 0; p < cols / NR; p++) {
      System.arraycopy(row, off + p * NR, data, panelOffset(p, k, rows), NR);
    }
  }

  /** The panel layout ({@code data[(p·rows + k)·NR + j]}), built from the rows on first use. */
  float[] panels() {
    float[] d = panelData;
    if (d == null) {
      synchronized (this) {
        if (panelData == null) {
          float[] data = new float[rows * cols];
          for (int k = 0; k < rows; k++) {
            rowIntoPanels(rowData[k], 0, cols, k, rows, data);
          }
          panelData = data;
        }
        d = panelData;
      }
    }
    return d;
  }

  /** One array per row (at least {@link #rows} arrays of at least {@code cols} floats), built from the panels on first use. */
  float[][] rowArrays() {
    float[][] r = rowData;
    if (r == null) {
      synchronized (this) {
        if (rowData == null) {
          float[][] out = new float[rows][cols];
          for (int p = 0; p < panels; p++) {
            for (int k = 0; k < rows; k++) {
              System.arraycopy(panelData, panelOffset(p, k, rows), out[k], p * NR, NR);
            }
          }
          rowData = out;
        }
        r = rowData;
      }
    }
    return r;
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

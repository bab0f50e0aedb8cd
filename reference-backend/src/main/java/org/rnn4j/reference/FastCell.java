package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.SingleCell;

/**
 * One cell's weights packed for the fast kernels, converted once when a model is first run: the
 * kernel and recurrent kernel as {@link Packed} panels with gate blocks padded to the panel width,
 * biases in the same column order.
 */
final class FastCell implements CellMath {
  enum Kind {
    LSTM,
    GRU_RESET_AFTER,
    GRU_RESET_BEFORE,
    SIMPLE
  }

  final Kind kind;
  final int in;
  final int units;
  final int gates;
  /** Packed width of a row of gate pre-activations: {@code gates · paddedUnits}. */
  final int width;
  final int paddedUnits;
  final Packed kernel;
  /** LSTM, GRU (reset_after), SimpleRNN: all gates. GRU (reset_before): the z and r gates. */
  final Packed recurrent;
  /** GRU (reset_before) only: the candidate's recurrent kernel. */
  final Packed recurrentCandidate;
  final float[] inputBias;
  /** GRU (reset_after) only: the recurrent bias row. */
  final float[] recurrentBias;
  final Activation activation;
  final Activation recurrentActivation;
  /** The cell's weights as given (Keras layout), for the backward pass's transposes. */
  private final List<Tensor> weights;
  private volatile CellBackprop.Transposed transposed;

  private FastCell(Kind kind, int in, int units, int gates, Packed kernel, Packed recurrent, Packed recurrentCandidate,
      float[] inputBias, float[] recurrentBias, Activation activation, Activation recurrentActivation, List<Tensor> weights) {
    this.kind = kind;
    this.in = in;
    this.units = units;
    this.gates = gates;
    this.kernel = kernel;
    this.paddedUnits = kernel.paddedUnits;
    this.width = kernel.cols;
    this.recurrent = recurrent;
    this.recurrentCandidate = recurrentCandidate;
    this.inputBias = inputBias;
    this.recurrentBias = recurrentBias;
    this.activation = activation;
    this.recurrentActivation = recurrentActivation;
    this.weights = weights;
  }

  /** The transposed weights a backward pass multiplies by, built on first use and kept. */
  CellBackprop.Transposed transposed() {
    CellBackprop.Transposed t = transposed;
    if (t == null) {
      t = CellBackprop.Transposed.of(this, weights.get(0).toArray(), weights.get(1).toArray());
      transposed = t;
    }
    return t;
  }

  static FastCell of(SingleCell cell, int in, List<Tensor> w) {
    int u = cell.units();
    int g = cell.gateCount();
    float[] kernel = w.get(0).toArray();
    float[] recurrent = w.get(1).toArray();
    float[] bias = cell.useBias() ? w.get(2).toArray() : null;
    Packed k = Packed.of(kernel, in, g, u);
    if (cell instanceof LSTMCell lstm) {
      return new FastCell(Kind.LSTM, in, u, g, k, Packed.of(recurrent, u, g, u), null, Packed.bias(bias, 0, g, u), null,
          lstm.activation(), lstm.recurrentActivation(), w);
    }
    if (cell instanceof GRUCell gru) {
      if (gru.resetAfter()) {
        return new FastCell(Kind.GRU_RESET_AFTER, in, u, g, k, Packed.of(recurrent, u, g, u), null,
            Packed.bias(gru.inputBias(bias), 0, g, u), Packed.bias(gru.recurrentBias(bias), 0, g, u), gru.activation(),
            gru.recurrentActivation(), w);
      }
      float[] zr = new float[u * 2 * u];
      float[] h = new float[u * u];
      for (int row = 0; row < u; row++) {
        System.arraycopy(recurrent, row * 3 * u, zr, row * 2 * u, 2 * u);
        System.arraycopy(recurrent, row * 3 * u + 2 * u, h, row * u, u);
      }
      return new FastCell(Kind.GRU_RESET_BEFORE, in, u, g, k, Packed.of(zr, u, 2, u), Packed.of(h, u, 1, u),
          Packed.bias(bias, 0, g, u), null, gru.activation(), gru.recurrentActivation(), w);
    }
    return new FastCell(Kind.SIMPLE, in, u, 1, k, Packed.of(recurrent, u, 1, u), null, Packed.bias(bias, 0, 1, u), null,
        cell.activation(), null, w);
  }

  @Override
  public int inputSize() {
    return in;
  }

  @Override
  public int units() {
    return units;
  }

  /** The number of states (LSTM h, c; others h). */
  @Override
  public int stateCount() {
    return kind == Kind.LSTM ? 2 : 1;
  }

  @Override
  public int projectionWidth() {
    return width;
  }

  @Override
  public long stepWork() {
    return (long) width * (in + units);
  }

  /** GRUs only: a row of the recurrent product. */
  @Override
  public int recurrentScratch() {
    return kind == Kind.GRU_RESET_AFTER || kind == Kind.GRU_RESET_BEFORE ? width : 0;
  }

  /**
   * Whether this cell's step records its gates after their activations rather than before: an LSTM
   * with Keras' default activations (sigmoid gates, tanh), whose backward pass takes the derivatives
   * from the activations' outputs and so needs no activation evaluated again.
   */
  boolean recordsActivatedGates() {
    return kind == Kind.LSTM && activation == Activation.TANH && recurrentActivation == Activation.SIGMOID;
  }

  /** A default LSTM's backward pass reads φ(c') beside its activated gates. */
  @Override
  public boolean recordsActivatedCells() {
    return recordsActivatedGates();
  }

  /** A default LSTM's activated gates are its projection rows after the step. */
  @Override
  public boolean recordsStepRows() {
    return recordsActivatedGates();
  }

  /**
   * LSTM and SimpleRNN record their pre-activations (a default LSTM its activated gates: {@link
   * #recordsActivatedGates}), GRU reset_after also its recurrent product; GRU reset_before none.
   */
  @Override
  public int recordedArrays() {
    return switch (kind) {
      case LSTM, SIMPLE -> 1;
      case GRU_RESET_AFTER -> 2;
      case GRU_RESET_BEFORE -> 0;
    };
  }

  /** GRU (reset_before) only: r∘h. */
  @Override
  public int resetScratch() {
    return kind == Kind.GRU_RESET_BEFORE ? units : 0;
  }

  /** LSTM: i, f, g, o and φ(c') of the block's rows; GRUs: z, r, a recurrent product's gate, the candidate, h, h' of one row. */
  @Override
  public int lanes() {
    return switch (kind) {
      case SIMPLE -> 0;
      case LSTM -> 5;
      case GRU_RESET_AFTER, GRU_RESET_BEFORE -> 6;
    };
  }

  /** LSTM: a block's rows side by side ({@link #step}); GRUs: one row. Room for a vector kernel's padding. */
  @Override
  public int laneWidth(int rows) {
    return kind == Kind.LSTM ? Packed.roundUp(rows * units, Packed.NR) : paddedUnits;
  }

  /**
   * Sets {@code z} (rows of {@link #width}, from {@code zOff}) to the input projection {@code x·W + b}
   * of {@code rows} rows of {@code x} (each {@link #in} wide).
   */
  @Override
  public void project(Simd simd, float[] x, int rows, float[] z, int zOff) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(inputBias, 0, z, zOff + r * width, width);
    }
    simd.gemm(x, 0, in, rows, kernel, 0, paddedUnits, z, zOff, width, true);
  }

  /**
   * One time step for a block of rows: adds the recurrent product of {@code hCur} to the input
   * projection in {@code z} (rows of {@link #width} from {@code zOff}), applies the gate math and
   * writes {@code hNext} (and for LSTM {@code cNext}), using the scratch {@link #recurrentScratch},
   * {@link #resetScratch} and {@link #scratch} ask for.
   */
  @Override
  public void step(StepArrays a) {
    Simd simd = a.simd;
    int rows = a.rows;
    float[] z = a.z;
    int zOff = a.zOff;
    float[] hCur = a.hCur;
    float[] hNext = a.hNext;
    float[] cCur = a.cCur;
    float[] cNext = a.cNext;
    float[] rec = a.rec;
    float[] resetH = a.resetH;
    float[][] lanes = a.lanes;
    int u = units;
    int pu = paddedUnits;
    switch (kind) {
      case LSTM -> {
        simd.gemm(hCur, 0, u, rows, recurrent, 0, pu, z, zOff, width, true);
        boolean activated = recordsActivatedGates();
        if (a.recordA != null && !activated) {
          System.arraycopy(z, zOff, a.recordA, a.recordOff, rows * width);
        }
        // every row's gates side by side in four zero-offset lanes: each activation and product
        // below is one long loop over the block, not one short loop a row
        float[] gi = lanes[0];
        float[] gf = lanes[1];
        float[] gg = lanes[2];
        float[] go = lanes[3];
        float[] cn = lanes[4];
        int n = rows * u;
        int room = gi.length;
        moveGates(z, zOff, lanes, rows, true);
        activateRows(simd, recurrentActivation, gi, rows, room);
        activateRows(simd, recurrentActivation, gf, rows, room);
        activateRows(simd, activation, gg, rows, room);
        activateRows(simd, recurrentActivation, go, rows, room);
        for (int j = 0; j < n; j++) {
          cNext[j] = gf[j] * cCur[j] + gi[j] * gg[j];
        }
        System.arraycopy(cNext, 0, cn, 0, n);
        activateRows(simd, activation, cn, rows, room);
        for (int j = 0; j < n; j++) {
          hNext[j] = go[j] * cn[j];
        }
        if (a.recordA != null && activated) {
          moveGates(a.recordA, a.recordOff, lanes, rows, false);
          System.arraycopy(cn, 0, a.recordCells, a.recordCellsOff, n);
        }
      }
      case GRU_RESET_AFTER -> {
        for (int b = 0; b < rows; b++) {
          System.arraycopy(recurrentBias, 0, rec, b * width, width);
        }
        simd.gemm(hCur, 0, u, rows, recurrent, 0, pu, rec, 0, width, true);
        if (a.recordA != null) {
          System.arraycopy(z, zOff, a.recordA, a.recordOff, rows * width);
          System.arraycopy(rec, 0, a.recordQ, a.recordOff, rows * width);
        }
        for (int b = 0; b < rows; b++) {
          int zr = zOff + b * width;
          int rr = b * width;
          float[] gz = lanes[0];
          float[] gr = lanes[1];
          float[] q = lanes[2];
          float[] candidate = lanes[3];
          gateSum(z, zr, rec, rr, gz, q);
          simd.activate(recurrentActivation, gz, 0, u, pu);
          gateSum(z, zr + pu, rec, rr + pu, gr, q);
          simd.activate(recurrentActivation, gr, 0, u, pu);
          System.arraycopy(z, zr + 2 * pu, candidate, 0, u);
          System.arraycopy(rec, rr + 2 * pu, q, 0, u);
          for (int j = 0; j < u; j++) {
            candidate[j] += gr[j] * q[j];
          }
          simd.activate(activation, candidate, 0, u, pu);
          gruMix(gz, candidate, hCur, hNext, b, lanes);
        }
      }
      case GRU_RESET_BEFORE -> {
        int zrWidth = recurrent.cols;
        simd.gemm(hCur, 0, u, rows, recurrent, 0, pu, rec, 0, zrWidth, false);
        for (int b = 0; b < rows; b++) {
          int zr = zOff + b * width;
          int rr = b * zrWidth;
          for (int j = 0; j < 2 * pu; j++) {
            z[zr + j] += rec[rr + j];
          }
          simd.activate(recurrentActivation, z, zr, u, pu);
          simd.activate(recurrentActivation, z, zr + pu, u, pu);
          for (int j = 0; j < u; j++) {
            resetH[b * u + j] = z[zr + pu + j] * hCur[b * u + j];
          }
        }
        simd.gemm(resetH, 0, u, rows, recurrentCandidate, 0, pu, z, zOff + 2 * pu, width, true);
        for (int b = 0; b < rows; b++) {
          int zr = zOff + b * width;
          float[] gz = lanes[0];
          float[] candidate = lanes[3];
          System.arraycopy(z, zr, gz, 0, u);
          System.arraycopy(z, zr + 2 * pu, candidate, 0, u);
          simd.activate(activation, candidate, 0, u, pu);
          gruMix(gz, candidate, hCur, hNext, b, lanes);
        }
      }
      case SIMPLE -> {
        simd.gemm(hCur, 0, u, rows, recurrent, 0, pu, z, zOff, width, true);
        if (a.recordA != null) {
          System.arraycopy(z, zOff, a.recordA, a.recordOff, rows * width);
        }
        for (int b = 0; b < rows; b++) {
          int zr = zOff + b * width;
          simd.activate(activation, z, zr, u, pu);
          System.arraycopy(z, zr, hNext, b * u, u);
        }
      }
    }
  }

  /**
   * Between the gate blocks of {@code rows} rows ({@code blocked[off + b·width + k·paddedUnits ..]},
   * a row's gate k) and the lanes (gate k of row b at {@code lanes[k][b·units ..]}): into the lanes
   * when {@code toLanes}, else back.
   */
  private void moveGates(float[] blocked, int off, float[][] lanes, int rows, boolean toLanes) {
    for (int b = 0; b < rows; b++) {
      for (int k = 0; k < gates; k++) {
        int at = off + b * width + k * paddedUnits;
        if (toLanes) {
          System.arraycopy(blocked, at, lanes[k], b * units, units);
        } else {
          System.arraycopy(lanes[k], b * units, blocked, at, units);
        }
      }
    }
  }

  /** {@code f} over a lane of {@code rows} rows side by side: at once when it acts element by element, else row by row (softmax and its kind). */
  private void activateRows(Simd simd, Activation f, float[] lane, int rows, int room) {
    if (f.elementwise()) {
      simd.activate(f, lane, 0, rows * units, room);
      return;
    }
    for (int b = 0; b < rows; b++) {
      simd.activate(f, lane, b * units, units, units);
    }
  }

  /** A gate's input projection plus its recurrent product ({@code z[zAt..]} + {@code rec[recAt..]}) into the lane {@code into}; {@code q} is scratch. */
  private void gateSum(float[] z, int zAt, float[] rec, int recAt, float[] into, float[] q) {
    System.arraycopy(z, zAt, into, 0, units);
    System.arraycopy(rec, recAt, q, 0, units);
    for (int j = 0; j < units; j++) {
      into[j] += q[j];
    }
  }

  /** h' = z∘h + (1−z)∘hh of row b for the GRUs, from the lanes {@code gz} and {@code candidate} (lanes 4 and 5 its scratch). */
  private void gruMix(float[] gz, float[] candidate, float[] hCur, float[] hNext, int b, float[][] lanes) {
    int s = b * units;
    float[] h = lanes[4];
    float[] hn = lanes[5];
    System.arraycopy(hCur, s, h, 0, units);
    for (int j = 0; j < units; j++) {
      float zg = gz[j];
      hn[j] = zg * h[j] + (1f - zg) * candidate[j];
    }
    System.arraycopy(hn, 0, hNext, s, units);
  }
}

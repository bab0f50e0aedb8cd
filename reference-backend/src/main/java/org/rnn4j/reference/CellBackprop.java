package org.rnn4j.reference;

import org.rnn4j.layers.Activation;

/**
 * Backpropagation through time of one cell over what {@link RecurrentLoop} recorded, written for
 * whole blocks of rows so that every matrix product is one of the fast kernels' GEMMs.
 *
 * <p>First the pre-activations of every step are recomputed at once from the recorded inputs and
 * previous states ({@code x·W + b} and {@code h·U}, as the forward's {@link FastCell} computes
 * them). Then, from the last step to the first, each valid row's gate gradients are derived
 * element-wise (activations along each gate's row, in double), and the previous h's gradient is
 * one GEMM with {@code Uᵀ}; at a masked step a row's state gradients pass on unchanged. Last, the
 * input gradient ({@code dA·Wᵀ}) and the weight gradients ({@code xᵀ·dA}, {@code hᵀ·dQ}, column
 * sums) are GEMMs over all steps at once.
 */
final class CellBackprop {
  private final FastCell cell;
  private final Simd simd;
  private final Parallel parallel;
  private final int in;
  private final int u;
  private final int pu;
  private final int gates;
  /** Logical width of a gate row (Keras layout), {@code gates·u}. */
  private final int width;
  /** Padded width of a gate row (the packed layout), {@code gates·pu}. */
  private final int padded;
  private final float[] kernel;
  private final float[] recurrent;
  private final Activation act;
  private final Activation rec;
  /** Hands out this pass's large arrays ({@link Workspace#recorded}), reused from call to call. */
  private final Workspace ws;

  /** Weight gradients in Keras layout; the bias's as Keras stores it (GRU reset_after: input row, then recurrent row). */
  final double[] dKernel;
  final double[] dRecurrent;
  final double[] dBias;

  CellBackprop(FastCell cell, float[] kernel, float[] recurrent, boolean useBias, Simd simd, Parallel parallel, Workspace ws) {
    this.cell = cell;
    this.ws = ws;
    this.simd = simd;
    this.parallel = parallel;
    this.in = cell.in;
    this.u = cell.units;
    this.pu = cell.paddedUnits;
    this.gates = cell.gates;
    this.width = gates * u;
    this.padded = cell.width;
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.act = cell.activation;
    this.rec = cell.recurrentActivation;
    this.dKernel = new double[kernel.length];
    this.dRecurrent = new double[recurrent.length];
    this.dBias = useBias ? new double[cell.kind == FastCell.Kind.GRU_RESET_AFTER ? 2 * width : width] : null;
  }

  /**
   * Runs the cell's backward pass.
   *
   * @param x the cell's input sequence, time-major in processing order ({@code [t·batch + b]})
   * @param hs the carried h after every step, likewise; {@code cs} the carried c (LSTM) or null
   * @param h0 the initial h {@code (batch, u)}; {@code c0} the initial c or null
   * @param valid which steps were valid ({@code [t·batch + b]}), or null for all
   * @param dHidden the gradient reaching each step's carried h from outside the cell, time-major
   * @param dh in: the final h's gradient {@code (batch, u)}; out: the initial h's
   * @param dc likewise for c (LSTM), else null
   * @return the input sequence's gradient, time-major
   */
  double[] run(float[] x, float[] hs, float[] cs, float[] h0, float[] c0, boolean[] valid, int batch, int steps, double[] dHidden,
      double[] dh, double[] dc, float[] recordedA, float[] recordedQ) {
    int n = steps * batch;
    float[] hPrev = shifted(hs, h0, batch, n, ws);
    float[] cPrev = cs == null ? null : shifted(cs, c0, batch, n, ws);
    float[] a = recordedA;
    float[] q = recordedQ;
    float[] resetH = null;
    if (a == null) {
      float[][] recomputed = preActivations(x, hPrev, n);
      a = recomputed[0];
      q = recomputed[1];
      resetH = recomputed[2];
    }
    // gradients of the pre-activations: dA (of x·W + b) and dQ (of h·U), logical layout
    // float32, as the GEMMs that read them take it
    // zeroed: masked rows' gradients stay zero
    float[] dA = ws.recordedZeroed(n * width);
    float[] dQ = cell.kind == FastCell.Kind.LSTM || cell.kind == FastCell.Kind.SIMPLE ? dA : ws.recordedZeroed(n * width);
    StepScratch s = new StepScratch(batch);
    int recurrentWidth = cell.kind == FastCell.Kind.GRU_RESET_BEFORE ? 2 * u : width;
    Packed recurrentT = transposedColumns(recurrent, u, width, 0, recurrentWidth);
    Packed candidateT = cell.kind == FastCell.Kind.GRU_RESET_BEFORE ? transposedColumns(recurrent, u, width, 2 * u, 3 * u) : null;
    float[] stepA = new float[batch * u];
    float[] stepC = ws.recorded(batch * recurrentT.cols);
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int row = t * batch + b;
        for (int j = 0; j < u; j++) {
          dh[b * u + j] += dHidden[row * u + j];
        }
        s.active[b] = valid == null || valid[row];
        if (s.active[b]) {
          gateGradients(row, b, a, q, hPrev, cPrev, cs, dh, dc, dA, dQ, s);
        }
      }
      if (cell.kind == FastCell.Kind.GRU_RESET_BEFORE) {
        for (int i = 0; i < batch * u; i++) {
          stepA[i] = (float) s.dCandidate[i];
        }
        times(stepA, 0, u, batch, candidateT, u, s.product, stepC);
        candidateThroughReset(t, batch, hPrev, dA, dQ, s);
      }
      // the previous h's gradient: what reached it directly, plus dQ·Uᵀ
      times(dQ, t * batch * width, width, batch, recurrentT, u, s.product, stepC);
      for (int b = 0; b < batch; b++) {
        if (s.active[b]) {
          for (int j = 0; j < u; j++) {
            dh[b * u + j] = s.direct[b * u + j] + s.product[b * u + j];
          }
        }
      }
    }
    weightGradients(x, hPrev, resetH, n, dA, dQ);
    double[] dx = new double[n * in];
    Packed kernelT = transposedColumns(kernel, in, width, 0, width);
    times(dA, 0, width, n, kernelT, in, dx, ws.recorded(n * kernelT.cols));
    return dx;
  }

  /** Rows [0, n) split across the worker threads when the work is large (GEMMs over whole sequences). */
  private void split(int n, RowRange body) {
    int threads = (long) n * padded * (in + u) >= RecurrentLoop.PARALLEL_WORK ? parallel.threads() : 1;
    parallel.run(threads, (thread, count) -> {
      int r0 = RecurrentLoop.rowSplit(n, thread, count);
      int r1 = RecurrentLoop.rowSplit(n, thread + 1, count);
      if (r1 > r0) {
        body.run(r0, r1);
      }
    });
  }

  private interface RowRange {
    void run(int r0, int r1);
  }

  /**
   * The pre-activations of every step at once, as the forward computed them: {@code a = x·W + b}
   * (LSTM, SimpleRNN: {@code + h·U}; GRU reset_before: z and r {@code + h·U_zr}, the candidate
   * {@code + (r∘h)·U_h}), GRU reset_after's {@code q = h·U + b_rec}, GRU reset_before's {@code r∘h}.
   */
  private float[][] preActivations(float[] x, float[] hPrev, int n) {
    float[] a = new float[n * padded];
    float[] q = null;
    float[] resetH = null;
    for (int r = 0; r < n; r++) {
      System.arraycopy(cell.inputBias, 0, a, r * padded, padded);
    }
    split(n, (r0, r1) -> simd.gemm(x, r0 * in, in, r1 - r0, cell.kernel, 0, pu, a, r0 * padded, padded, true));
    switch (cell.kind) {
      case LSTM, SIMPLE -> split(n, (r0, r1) -> simd.gemm(hPrev, r0 * u, u, r1 - r0, cell.recurrent, 0, pu, a, r0 * padded, padded, true));
      case GRU_RESET_AFTER -> {
        q = new float[n * padded];
        for (int r = 0; r < n; r++) {
          System.arraycopy(cell.recurrentBias, 0, q, r * padded, padded);
        }
        float[] qa = q;
        split(n, (r0, r1) -> simd.gemm(hPrev, r0 * u, u, r1 - r0, cell.recurrent, 0, pu, qa, r0 * padded, padded, true));
      }
      case GRU_RESET_BEFORE -> {
        // z and r see h·U_zr; the candidate sees (r∘h)·U_h
        int zrWidth = cell.recurrent.cols;
        float[] qzr = new float[n * zrWidth];
        simd.gemm(hPrev, 0, u, n, cell.recurrent, 0, pu, qzr, 0, zrWidth, false);
        resetH = new float[n * u];
        float[] r = new float[u];
        for (int row = 0; row < n; row++) {
          for (int j = 0; j < 2 * pu; j++) {
            a[row * padded + j] += qzr[row * zrWidth + j];
          }
          rec.applyRow(a, row * padded + pu, u, r, 0);
          for (int j = 0; j < u; j++) {
            resetH[row * u + j] = r[j] * hPrev[row * u + j];
          }
        }
        simd.gemm(resetH, 0, u, n, cell.recurrentCandidate, 0, pu, a, 2 * pu, padded, true);
      }
    }
    return new float[][] {a, q, resetH};
  }

  /** The previous step's states for every step: {@code init} before step 0, else the step before's. */
  private static float[] shifted(float[] states, float[] init, int batch, int n, Workspace ws) {
    int size = init.length / batch;
    float[] prev = ws.recorded(n * size);
    System.arraycopy(init, 0, prev, 0, init.length);
    System.arraycopy(states, 0, prev, init.length, (n - batch) * size);
    return prev;
  }

  /** Per-step arrays for the rows of a block, allocated once per backward pass. */
  private final class StepScratch {
    final boolean[] active;
    /** Gate activations of one row (packed layout) and their gradients. */
    final float[] gate = new float[padded];
    final double[] dGate = new double[width];
    final double[] dy = new double[u];
    final double[] dxRow = new double[u];
    /** c' and φ(c') (LSTM), or the z and r pre-activations (GRU); room for a vector kernel's padding. */
    final float[] cell = new float[2 * u + Packed.NR];
    /** The part of each row's previous-h gradient that does not go through U. */
    final double[] direct;
    final double[] product;
    /** GRU reset_before: the candidate's pre-activation gradient, per row. */
    final double[] dCandidate;
    final float[] candidatePre = new float[u];
    /** GRU reset_before: each row's z and r pre-activations, then z and r; and the z gate's gradient. */
    final float[][] zrKeep;
    final double[][] dzKeep;

    StepScratch(int batch) {
      active = new boolean[batch];
      direct = new double[batch * u];
      product = new double[batch * u];
      dCandidate = new double[batch * u];
      zrKeep = new float[batch][4 * u];
      dzKeep = new double[batch][u];
    }
  }

  /**
   * One valid row's gate gradients at one step: sets {@code dA} and {@code dQ} at {@code row},
   * {@code s.direct} at {@code b}, and for LSTM the previous c's gradient in {@code dc}.
   */
  private void gateGradients(int row, int b, float[] a, float[] q, float[] hPrev, float[] cPrev, float[] cs, double[] dh, double[] dc,
      float[] dA, float[] dQ, StepScratch s) {
    int p = row * padded;
    int o = row * width;
    int hb = b * u;
    switch (cell.kind) {
      case LSTM -> {
        System.arraycopy(a, p, s.gate, 0, padded);
        simd.activate(rec, s.gate, 0, u, pu);
        simd.activate(rec, s.gate, pu, u, pu);
        simd.activate(act, s.gate, 2 * pu, u, pu);
        simd.activate(rec, s.gate, 3 * pu, u, pu);
        for (int j = 0; j < u; j++) {
          s.cell[j] = cs[row * u + j];
        }
        System.arraycopy(s.cell, 0, s.cell, u, u);
        simd.activate(act, s.cell, u, u, pu); // φ(c')
        for (int j = 0; j < u; j++) {
          s.dGate[3 * u + j] = dh[hb + j] * s.cell[u + j];
          s.dy[j] = dh[hb + j] * s.gate[3 * pu + j];
        }
        act.backwardRow(s.cell, 0, s.cell, u, u, s.dy, s.dxRow);
        for (int j = 0; j < u; j++) {
          double dcTotal = dc[hb + j] + s.dxRow[j];
          s.dGate[j] = dcTotal * s.gate[2 * pu + j];
          s.dGate[u + j] = dcTotal * cPrev[row * u + j];
          s.dGate[2 * u + j] = dcTotal * s.gate[j];
          dc[hb + j] = dcTotal * s.gate[pu + j];
          s.direct[hb + j] = 0;
        }
        preActivation(rec, a, p, 0, s, dA, o);
        preActivation(rec, a, p, 1, s, dA, o);
        preActivation(act, a, p, 2, s, dA, o);
        preActivation(rec, a, p, 3, s, dA, o);
      }
      case SIMPLE -> {
        System.arraycopy(a, p, s.gate, 0, padded);
        simd.activate(act, s.gate, 0, u, pu);
        for (int j = 0; j < u; j++) {
          s.dGate[j] = dh[hb + j];
          s.direct[hb + j] = 0;
        }
        preActivation(act, a, p, 0, s, dA, o);
      }
      case GRU_RESET_AFTER, GRU_RESET_BEFORE -> {
        boolean after = cell.kind == FastCell.Kind.GRU_RESET_AFTER;
        // z and r pre-activations: a + q (after), or a already holding h·U_zr (before)
        float[] zr = s.cell;
        for (int j = 0; j < u; j++) {
          zr[j] = after ? a[p + j] + q[p + j] : a[p + j];
          zr[u + j] = after ? a[p + pu + j] + q[p + pu + j] : a[p + pu + j];
        }
        rec.applyRow(zr, 0, u, s.gate, 0);
        rec.applyRow(zr, u, u, s.gate, pu);
        float[] candidatePre = s.candidatePre;
        for (int j = 0; j < u; j++) {
          candidatePre[j] = after ? a[p + 2 * pu + j] + s.gate[pu + j] * q[p + 2 * pu + j] : a[p + 2 * pu + j];
        }
        act.applyRow(candidatePre, 0, u, s.gate, 2 * pu);
        for (int j = 0; j < u; j++) {
          double z = s.gate[j];
          s.dGate[j] = dh[hb + j] * (hPrev[row * u + j] - s.gate[2 * pu + j]);
          s.dy[j] = dh[hb + j] * (1 - z);
          s.direct[hb + j] = dh[hb + j] * z;
        }
        act.backwardRow(candidatePre, 0, s.gate, 2 * pu, u, s.dy, s.dxRow);
        for (int j = 0; j < u; j++) {
          dA[o + 2 * u + j] = (float) s.dxRow[j];
        }
        if (after) {
          for (int j = 0; j < u; j++) {
            s.dGate[u + j] = s.dxRow[j] * q[p + 2 * pu + j];
            dQ[o + 2 * u + j] = (float) (s.dxRow[j] * s.gate[pu + j]);
          }
          zrGradients(zr, s, dA, dQ, o);
        } else {
          // the reset gate's gradient needs (r∘h)'s, one GEMM over the block: finished in candidateThroughReset
          System.arraycopy(s.dxRow, 0, s.dCandidate, b * u, u);
          float[] keep = s.zrKeep[b];
          System.arraycopy(zr, 0, keep, 0, 2 * u);
          for (int j = 0; j < u; j++) {
            keep[2 * u + j] = s.gate[j];
            keep[3 * u + j] = s.gate[pu + j];
          }
          System.arraycopy(s.dGate, 0, s.dzKeep[b], 0, u);
        }
      }
    }
  }

  /**
   * GRU reset_before, once {@code s.product} holds {@code d(r∘h) = dCandidate·U_hᵀ} for the block:
   * the reset gate's and the previous h's shares, then the z and r pre-activation gradients.
   */
  private void candidateThroughReset(int t, int batch, float[] hPrev, float[] dA, float[] dQ, StepScratch s) {
    double[] dResetH = s.product;
    for (int b = 0; b < batch; b++) {
      if (!s.active[b]) {
        continue;
      }
      int row = t * batch + b;
      int o = row * width;
      float[] keep = s.zrKeep[b];
      for (int j = 0; j < u; j++) {
        s.gate[j] = keep[2 * u + j];
        s.gate[pu + j] = keep[3 * u + j];
        s.dGate[j] = s.dzKeep[b][j];
        s.dGate[u + j] = dResetH[b * u + j] * hPrev[row * u + j];
        s.direct[b * u + j] += dResetH[b * u + j] * keep[3 * u + j];
      }
      zrGradients(keep, s, dA, dQ, o);
    }
  }

  /** The z and r pre-activation gradients (from dGate and the pre-activations {@code zr}) into dA and dQ. */
  private void zrGradients(float[] zr, StepScratch s, float[] dA, float[] dQ, int o) {
    for (int g = 0; g < 2; g++) {
      System.arraycopy(s.dGate, g * u, s.dy, 0, u);
      rec.backwardRow(zr, g * u, s.gate, g * pu, u, s.dy, s.dxRow);
      for (int j = 0; j < u; j++) {
        dA[o + g * u + j] = (float) s.dxRow[j];
        dQ[o + g * u + j] = (float) s.dxRow[j];
      }
    }
  }

  /** {@code dA[gate] = f'(a[gate])ᵀ · dGate[gate]} along the gate's row. */
  private void preActivation(Activation f, float[] a, int p, int gate, StepScratch s, float[] dA, int o) {
    System.arraycopy(s.dGate, gate * u, s.dy, 0, u);
    f.backwardRow(a, p + gate * pu, s.gate, gate * pu, u, s.dy, s.dxRow);
    for (int j = 0; j < u; j++) {
      dA[o + gate * u + j] = (float) s.dxRow[j];
    }
  }

  /** dW = xᵀ·dA, dU = hᵀ·dQ (GRU reset_before: the candidate's columns from (r∘h)ᵀ·dA), bias gradients as column sums. */
  private void weightGradients(float[] x, float[] hPrev, float[] resetH, int n, float[] dA, float[] dQ) {
    switch (cell.kind) {
      case LSTM, SIMPLE -> transposedTimes(x, in, dKernel, hPrev, u, dRecurrent, n, dA, 0, width); // dQ is dA
      case GRU_RESET_AFTER -> {
        transposedTimes(x, in, dKernel, null, 0, null, n, dA, 0, width);
        transposedTimes(hPrev, u, dRecurrent, null, 0, null, n, dQ, 0, width);
      }
      case GRU_RESET_BEFORE -> {
        transposedTimes(x, in, dKernel, null, 0, null, n, dA, 0, width);
        transposedTimes(hPrev, u, dRecurrent, null, 0, null, n, dQ, 0, 2 * u);
        transposedTimes(resetH, u, dRecurrent, null, 0, null, n, dA, 2 * u, 3 * u);
      }
    }
    if (dBias != null) {
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < width; j++) {
          dBias[j] += dA[r * width + j];
          if (cell.kind == FastCell.Kind.GRU_RESET_AFTER) {
            dBias[width + j] += dQ[r * width + j];
          }
        }
      }
    }
  }

  /** {@code Mᵀ} of columns [c0, c1) of a row-major {@code (rows, cols)} matrix, packed as a {@code (c1 - c0, rows)} GEMM operand. */
  private static Packed transposedColumns(float[] m, int rows, int cols, int c0, int c1) {
    int k = c1 - c0;
    float[] t = new float[k * rows];
    for (int r = 0; r < rows; r++) {
      for (int c = c0; c < c1; c++) {
        t[(c - c0) * rows + r] = m[r * cols + c];
      }
    }
    return Packed.of(t, k, 1, rows);
  }

  /**
   * {@code out[r·cols + j] = Σ_k a[aOff + r·lda + k] · B[k, j]} for {@code m} rows, the first
   * {@code b.rows} columns of each row of {@code a}, through the scratch {@code c} ({@code m·b.cols}).
   */
  private void times(float[] a, int aOff, int lda, int m, Packed b, int cols, double[] out, float[] c) {
    split(m, (i0, i1) -> simd.gemm(a, aOff + i0 * lda, lda, i1 - i0, b, 0, b.paddedUnits, c, i0 * b.cols, b.cols, false));
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < cols; j++) {
        out[r * cols + j] = c[r * b.cols + j];
      }
    }
  }


  /**
   * {@code out[i·width + c0 + j] += Σ_r v[r·vCols + i] · d[r·width + c0 + j]} for columns [c0, c1) of
   * {@code d}: {@code vᵀ·d} over {@code n} rows, as one GEMM; with a second {@code v2} (its
   * gradient into {@code out2}), both share the GEMM, as {@code [v | v2]ᵀ·d}.
   */
  private void transposedTimes(float[] v, int vCols, double[] out, float[] v2, int v2Cols, double[] out2, int n, float[] d, int c0,
      int c1) {
    int k = c1 - c0;
    int m = vCols + v2Cols;
    float[] vt = ws.recorded(m * n);
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < vCols; i++) {
        vt[i * n + r] = v[r * vCols + i];
      }
      for (int i = 0; i < v2Cols; i++) {
        vt[(vCols + i) * n + r] = v2[r * v2Cols + i];
      }
    }
    float[] dCols = d;
    if (k != width) {
      dCols = new float[n * k];
      for (int r = 0; r < n; r++) {
        System.arraycopy(d, r * width + c0, dCols, r * k, k);
      }
    }
    Packed b = Packed.of(dCols, n, 1, k);
    float[] c = ws.recorded(m * b.cols);
    split(m, (r0, r1) -> simd.gemm(vt, r0 * n, n, r1 - r0, b, 0, b.paddedUnits, c, r0 * b.cols, b.cols, false));
    for (int i = 0; i < m; i++) {
      double[] to = i < vCols ? out : out2;
      int row = i < vCols ? i : i - vCols;
      for (int j = 0; j < k; j++) {
        to[row * width + c0 + j] += c[i * b.cols + j];
      }
    }
  }

}

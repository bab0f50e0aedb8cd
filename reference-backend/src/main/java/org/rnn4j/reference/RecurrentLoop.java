package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.RNN;
import org.rnn4j.reference.Workspace.Slot;
import org.rnn4j.spi.RecurrentOutput;

/**
 * Keras' RNN loop, the one the reference backend has, for any cell's arithmetic ({@link CellMath}:
 * the fast kernels or the exact equations). Steps run in input order, or last to first with
 * go_backwards (the mask reversed with them); at a masked step every state is carried; the output
 * at a step is the last cell's h, the previous output at a masked step (zeros before the first
 * valid step), or zeros with zero_output_for_mask; the returned sequence is in processing order.
 *
 * <p>Cells run one after the other over the whole sequence (equivalent to a stacked cell, as each
 * cell's masked steps ignore their input). For each cell the projection of a chunk of steps is
 * computed at once (for the fast kernels, {@code x·W + b} as one GEMM); each step then applies the
 * cell's step to its rows. Large batches are split by rows across the worker threads: batch rows
 * are independent, so each thread runs its rows through all the steps without meeting the others.
 * Small work runs on the calling thread. All buffers come from reused {@link Workspace}s.
 */
final class RecurrentLoop {
  /** Multiply-adds of a whole call from which it is split across threads. */
  static final long PARALLEL_WORK = 1 << 22;
  /** The GEMM tile's height: a thread gets at least this many rows. */
  static final int ROW_TILE = 6;
  /** Floats of input projection computed per chunk of steps. */
  static final int CHUNK_FLOATS = 1 << 19;

  private final Simd simd;
  private final Parallel parallel;

  RecurrentLoop(Simd simd, Parallel parallel) {
    this.simd = simd;
    this.parallel = parallel;
  }

  /** The worker threads the loop splits rows across (a backward pass splits its GEMMs the same way). */
  Parallel parallel() {
    return parallel;
  }

  /**
   * What a run keeps for its backward pass ({@link RecurrentBackprop}), per cell, time-major in
   * processing order ({@code [t·batch + b]}): the cell's input sequence, its carried h and c after
   * every step, and its initial states; and which steps were valid.
   */
  static final class Recording {
    int batch;
    int steps;
    boolean[] valid;
    final List<float[]> inputs = new ArrayList<>();
    final List<float[]> hidden = new ArrayList<>();
    final List<float[]> cells = new ArrayList<>();
    /** Per cell, φ(c') after every step where its steps record it ({@link CellMath#recordsActivatedCells}), else null. */
    final List<float[]> activatedCells = new ArrayList<>();
    final List<float[]> initialH = new ArrayList<>();
    final List<float[]> initialC = new ArrayList<>();
    /** Per cell, the pre-activations its steps recorded ({@link CellMath#recordedArrays}), or nulls. */
    final List<float[]> preActivations = new ArrayList<>();
    final List<float[]> recurrentProducts = new ArrayList<>();
  }

  RecurrentOutput<Buf> run(RNN layer, List<? extends CellMath> cells, Buf input, Buf mask, List<Buf> initial, boolean wantSequence,
      Workspace ws) {
    return run(layer, cells, input, mask, initial, wantSequence, ws, null);
  }

  /**
   * A run that also fills {@code record} (when not null) for a backward pass, in arrays the
   * workspace hands out for recording ({@link Workspace#recorded}), which stay untouched until the
   * workspace's next recording starts.
   */
  RecurrentOutput<Buf> run(RNN layer, List<? extends CellMath> cells, Buf input, Buf mask, List<Buf> initial, boolean wantSequence,
      Workspace ws, Recording record) {
    int batch = input.dim(0);
    int steps = input.dim(1);
    int features = input.dim(2);
    boolean back = layer.goBackwards();
    float[] seq = record != null ? ws.recorded(steps * batch * features) : ws.get(Slot.INPUT, steps * batch * features);
    timeMajor(input.data, batch, steps, features, back, seq);
    boolean[] valid = mask == null ? null : validSteps(mask.data, batch, steps, back);
    List<Buf> finals = new ArrayList<>(2 * cells.size());
    int in = features;
    int state = 0;
    Slot[] hidden = {Slot.HIDDEN_A, Slot.HIDDEN_B};
    for (int k = 0; k < cells.size(); k++) {
      CellMath cell = cells.get(k);
      float[] out = record != null ? ws.recorded(steps * batch * cell.units()) : ws.get(hidden[k % 2], steps * batch * cell.units());
      float[] h = new float[batch * cell.units()];
      float[] c = cell.stateCount() == 2 ? new float[batch * cell.units()] : null;
      if (initial != null) {
        System.arraycopy(initial.get(state).data, 0, h, 0, h.length);
        if (c != null) {
          System.arraycopy(initial.get(state + 1).data, 0, c, 0, c.length);
        }
      }
      state += cell.stateCount();
      float[] cellOut = null;
      if (record != null) {
        cellOut = c != null ? ws.recorded(steps * batch * cell.units()) : null;
        record.inputs.add(seq);
        record.hidden.add(out);
        record.cells.add(cellOut);
        record.activatedCells.add(c != null && cell.recordsActivatedCells() ? ws.recorded(steps * batch * cell.units()) : null);
        record.initialH.add(h.clone());
        record.initialC.add(c == null ? null : c.clone());
        int size = steps * batch * cell.projectionWidth();
        record.preActivations.add(cell.recordedArrays() > 0 ? ws.recorded(size) : null);
        record.recurrentProducts.add(cell.recordedArrays() > 1 ? ws.recorded(size) : null);
      }
      runCell(new CellRun(cell, batch, steps, in, seq, out, cellOut, h, c, valid, record == null ? null : record.preActivations.get(k),
          record == null ? null : record.recurrentProducts.get(k), record == null ? null : record.activatedCells.get(k)), ws);
      finals.add(new Buf(new int[] {batch, cell.units()}, h));
      if (c != null) {
        finals.add(new Buf(new int[] {batch, cell.units()}, c));
      }
      seq = out;
      in = cell.units();
    }
    if (record != null) {
      record.batch = batch;
      record.steps = steps;
      record.valid = valid;
    }
    return outputs(layer, batch, steps, in, seq, valid, wantSequence, finals);
  }

  // The loops over every step and row before and after the cells are methods of their own: a loop
  // in run itself would have the JIT compile run early (on-stack, inlining every cell's run into
  // it, the largest compilation of a model's first seconds) though run is called once per call.

  /** The batch-major input {@code (batch, steps, features)} time-major into {@code seq}, in processing order. */
  private static void timeMajor(float[] input, int batch, int steps, int features, boolean back, float[] seq) {
    for (int t = 0; t < steps; t++) {
      int ti = back ? steps - 1 - t : t;
      for (int b = 0; b < batch; b++) {
        System.arraycopy(input, (b * steps + ti) * features, seq, (t * batch + b) * features, features);
      }
    }
  }

  /** The mask's valid steps, time-major in processing order. */
  private static boolean[] validSteps(float[] mask, int batch, int steps, boolean back) {
    boolean[] valid = new boolean[steps * batch];
    for (int t = 0; t < steps; t++) {
      int ti = back ? steps - 1 - t : t;
      for (int b = 0; b < batch; b++) {
        valid[t * batch + b] = mask[b * steps + ti] != 0f;
      }
    }
    return valid;
  }

  /**
   * One cell over a whole sequence: its input {@code (steps, batch, in)} step-major, the outputs h
   * (and, recorded for a backward pass, c) of every step, the carried states (initial in, final
   * out), the valid steps (or null), and where to record pre-activations, recurrent products and φ(c').
   */
  private record CellRun(CellMath cell, int batch, int steps, int in, float[] input, float[] out, float[] cellOut, float[] h,
      float[] c, boolean[] valid, float[] recordA, float[] recordQ, float[] recordCells) {}

  private void runCell(CellRun run, Workspace ws) {
    parallel.run(threads(run.cell(), run.batch(), run.steps()), (thread, n) -> {
      int b0 = rowSplit(run.batch(), thread, n);
      int b1 = rowSplit(run.batch(), thread + 1, n);
      if (b1 > b0) {
        new CellRows(run, b0, b1, ws.forThread(thread)).run();
      }
    });
  }

  /** The threads a cell's run over {@code batch} rows and {@code steps} steps is split across. */
  int threads(CellMath cell, int batch, int steps) {
    long work = (long) batch * steps * cell.stepWork();
    return work >= PARALLEL_WORK ? Math.min(parallel.threads(), Math.max(1, batch / ROW_TILE)) : 1;
  }

  /**
   * The first row of part {@code i} of {@code n}: even parts. A part's time is its rows' GEMM
   * tiles and element-wise work; the largest of even parts never has more tiles than the largest of
   * parts rounded to the tile height, and has the least element-wise work.
   */
  static int rowSplit(int batch, int i, int n) {
    return i >= n ? batch : (int) ((long) batch * i / n);
  }

  /** Keras' outputs from the last cell's carried h per step: masked steps repeat or zero. */
  private static RecurrentOutput<Buf> outputs(RNN layer, int batch, int steps, int units, float[] hidden, boolean[] valid,
      boolean wantSequence, List<Buf> finals) {
    float[] sequence = wantSequence ? new float[batch * steps * units] : null;
    float[] last = new float[batch * units];
    for (int b = 0; b < batch; b++) {
      boolean seen = false;
      for (int t = 0; t < steps; t++) {
        boolean ok = valid == null || valid[t * batch + b];
        seen |= ok;
        int src = (t * batch + b) * units;
        if (ok || (seen && !layer.zeroOutputForMask())) {
          System.arraycopy(hidden, src, last, b * units, units);
        } else {
          java.util.Arrays.fill(last, b * units, (b + 1) * units, 0f);
        }
        if (sequence != null) {
          System.arraycopy(last, b * units, sequence, (b * steps + t) * units, units);
        }
      }
    }
    Buf seq = sequence == null ? null : new Buf(new int[] {batch, steps, units}, sequence);
    return new RecurrentOutput<>(seq, new Buf(new int[] {batch, units}, last), finals);
  }

  /** One cell over the whole sequence, for batch rows [b0, b1). */
  private final class CellRows {
    final CellMath cell;
    final int batch;
    final int b0;
    final int rows;
    final int steps;
    final int in;
    final float[] input;
    final float[] out;
    /** The carried c of every step (recorded for a backward pass), or null. */
    final float[] cellOut;
    final float[] h;
    final float[] c;
    final boolean[] valid;
    final Workspace ws;
    final int u;
    final int width;
    /** States by step parity: step t reads index t % 2 and writes the other. */
    final float[][] hs = new float[2][];
    final float[][] cs = new float[2][];
    final StepArrays arrays = new StepArrays();

    CellRows(CellRun run, int b0, int b1, Workspace ws) {
      this.cell = run.cell();
      this.batch = run.batch();
      this.b0 = b0;
      this.rows = b1 - b0;
      this.steps = run.steps();
      this.in = run.in();
      this.input = run.input();
      this.out = run.out();
      this.cellOut = run.cellOut();
      this.h = run.h();
      this.c = run.c();
      this.valid = run.valid();
      this.ws = ws;
      this.u = cell.units();
      this.width = cell.projectionWidth();
      arrays.recordA = run.recordA();
      arrays.recordQ = run.recordQ();
      arrays.recordCells = run.recordCells();
    }

    void run() {
      // the record itself as the projection rows, where the cell records them as its step leaves them
      // and this thread has every batch row (a block of rows lies apart in the record from step to
      // step, which would take a small projection GEMM per step; the step writes its record anyway)
      boolean inRecord = arrays.recordA != null && cell.recordsStepRows() && rows == batch;
      int chunk = Math.max(1, Math.min(steps, CHUNK_FLOATS / Math.max(1, rows * width)));
      float[] proj = inRecord ? arrays.recordA : ws.get(Slot.PROJECTION, chunk * rows * width);
      float[] x = ws.get(Slot.ROWS, chunk * rows * in);
      hs[0] = ws.get(Slot.H0, rows * u);
      hs[1] = ws.get(Slot.H1, rows * u);
      System.arraycopy(h, b0 * u, hs[0], 0, rows * u);
      if (c != null) {
        cs[0] = ws.get(Slot.C0, rows * u);
        cs[1] = ws.get(Slot.C1, rows * u);
        System.arraycopy(c, b0 * u, cs[0], 0, rows * u);
      }
      arrays.simd = simd;
      arrays.rows = rows;
      arrays.z = proj;
      arrays.rec = cell.recurrentScratch() > 0 ? ws.get(Slot.RECURRENT, rows * cell.recurrentScratch()) : null;
      arrays.resetH = cell.resetScratch() > 0 ? ws.get(Slot.RESET_H, rows * cell.resetScratch()) : null;
      arrays.lanes = ws.lanes(cell.lanes(), cell.laneWidth(rows));
      for (int t0 = 0; t0 < steps; t0 += chunk) {
        int tc = Math.min(chunk, steps - t0);
        project(t0, tc, x, proj, inRecord);
        for (int t = t0; t < t0 + tc; t++) {
          step(t, inRecord ? (t * batch + b0) * width : (t - t0) * rows * width);
        }
      }
      System.arraycopy(hs[steps % 2], 0, h, b0 * u, rows * u);
      if (c != null) {
        System.arraycopy(cs[steps % 2], 0, c, b0 * u, rows * u);
      }
    }

    /**
     * The projection of this thread's rows of steps [t0, t0 + tc) at once, into {@code proj} from
     * 0, or ({@code inRecord}, this thread having every batch row) where the record keeps each
     * step's rows.
     */
    private void project(int t0, int tc, float[] x, float[] proj, boolean inRecord) {
      for (int t = 0; t < tc; t++) {
        System.arraycopy(input, ((t0 + t) * batch + b0) * in, x, t * rows * in, rows * in);
      }
      cell.project(simd, x, tc * rows, proj, inRecord ? t0 * batch * width : 0);
    }

    /** One time step: the cell's step, then masking and output. */
    private void step(int t, int zOff) {
      float[] hCur = hs[t % 2];
      float[] hNext = hs[(t + 1) % 2];
      float[] cCur = cs[t % 2];
      float[] cNext = cs[(t + 1) % 2];
      arrays.zOff = zOff;
      arrays.hCur = hCur;
      arrays.hNext = hNext;
      arrays.cCur = cCur;
      arrays.cNext = cNext;
      arrays.recordOff = (t * batch + b0) * width;
      arrays.recordCellsOff = (t * batch + b0) * u;
      cell.step(arrays);
      for (int b = 0; b < rows; b++) {
        int s = b * u;
        if (valid != null && !valid[t * batch + b0 + b]) {
          System.arraycopy(hCur, s, hNext, s, u);
          if (c != null) {
            System.arraycopy(cCur, s, cNext, s, u);
          }
        }
        System.arraycopy(hNext, s, out, (t * batch + b0 + b) * u, u);
        if (cellOut != null) {
          System.arraycopy(cNext, s, cellOut, (t * batch + b0 + b) * u, u);
        }
      }
    }
  }
}

package org.rnn4j.reference;

import java.util.Arrays;
import org.rnn4j.layers.Activation;

/**
 * Backpropagation through time of one cell over what {@link RecurrentLoop} recorded, written for
 * whole blocks of rows so that every matrix product is one of the fast kernels' GEMMs.
 *
 * <p>The gates are what the forward's steps recorded, else recomputed at once from the recorded
 * inputs and previous states ({@code x·W + b} and {@code h·U}, as {@link FastCell} computes them).
 * Then each thread takes a block of batch rows from the last step to the first ({@link Steps}):
 * each valid row's gate gradients, element-wise (a default LSTM in float32 from its recorded
 * activated gates, other cells in double through {@link Activation#backwardRow}), then the previous
 * h's gradient as one GEMM with {@code Uᵀ} — for LSTM and SimpleRNN with {@code [Uᵀ | Wᵀ]}, which
 * gives the input's gradient too; at a masked step a row's state gradients pass on unchanged. The
 * weight gradients ({@code xᵀ·dA}, {@code hᵀ·dQ}, and the bias's as {@code 1ᵀ·dA}) are GEMMs over
 * the steps' rows — an LSTM's and SimpleRNN's summed over each block of batch rows apart, mostly
 * a chunk of steps at a time right after the chunk's walk by the thread that walked it — and for
 * the GRUs the input's gradient ({@code dA·Wᵀ}) another.
 */
final class CellBackprop {
  /** A row of ones, read with both strides 0: a column sum's row of a weight gradient's {@code Vᵀ}. */
  private static final float[] ONE = {1f};

  private final FastCell cell;
  private final Simd simd;
  private final RecurrentLoop loop;
  private final int in;
  private final int u;
  private final int pu;
  private final int gates;
  /** Logical width of a gate row (Keras layout), {@code gates·u}. */
  private final int width;
  /** Padded width of a gate row (the packed layout), {@code gates·pu}. */
  private final int padded;
  private final Activation act;
  private final Activation rec;
  /** Hands out this pass's large arrays ({@link Workspace#recorded}), reused from call to call. */
  private final Workspace ws;

  /**
   * Where the weight gradients are added, in Keras layout; the bias's as Keras stores it (GRU
   * reset_after: input row, then recurrent row), or null without a bias.
   */
  private final float[] dKernel;
  private final float[] dRecurrent;
  private final float[] dBias;

  CellBackprop(FastCell cell, float[] dKernel, float[] dRecurrent, float[] dBias, Simd simd, RecurrentLoop loop, Workspace ws) {
    this.cell = cell;
    this.ws = ws;
    this.simd = simd;
    this.loop = loop;
    this.in = cell.in;
    this.u = cell.units;
    this.pu = cell.paddedUnits;
    this.gates = cell.gates;
    this.width = gates * u;
    this.padded = cell.width;
    this.act = cell.activation;
    this.rec = cell.recurrentActivation;
    this.dKernel = dKernel;
    this.dRecurrent = dRecurrent;
    this.dBias = dBias;
  }

  /** The width of the cell's input rows. */
  int inputWidth() {
    return in;
  }

  /**
   * Runs the cell's backward pass over what the forward recorded for it ({@code rec}'s cell {@code
   * k}: its input sequence, carried h (and c) after every step and initial states, time-major in
   * processing order, {@code [t·batch + b]}; its gates if its steps recorded them).
   *
   * @param dHidden the gradient reaching each step's carried h from outside the cell, time-major,
   *     for steps from {@code dHiddenFrom} (none reaches the steps before it)
   * @param dh in: the final h's gradient {@code (batch, u)}; out: the initial h's
   * @param dc likewise for c (LSTM), else null
   * @return the input sequence's gradient, time-major: the first {@code steps·batch·}{@link #inputWidth}
   *     elements of a workspace array
   */
  float[] run(RecurrentLoop.Recording rec, int k, float[] dHidden, int dHiddenFrom, float[] dh, float[] dc) {
    int batch = rec.batch;
    int steps = rec.steps;
    boolean[] valid = rec.valid;
    float[] x = rec.inputs.get(k);
    float[] cs = rec.cells.get(k);
    float[] recordedA = rec.preActivations.get(k);
    float[] recordedQ = rec.recurrentProducts.get(k);
    float[] hs = rec.hidden.get(k);
    float[] h0 = rec.initialH.get(k);
    float[] c0 = rec.initialC.get(k);
    int n = steps * batch;
    Transposed weightsT = cell.transposed();
    // LSTM and SimpleRNN: dQ is dA, so the step's GEMM also gives the input's gradient, dA·[Uᵀ | Wᵀ],
    // and dA is needed after the steps only as the weight gradient's B: the steps write it packed
    boolean inputInStep = weightsT.kernel() == null;
    int threads = loop.threads(cell, batch, steps);
    int gemmThreads = splitThreads(n);
    // LSTM, SimpleRNN: the weight gradients are summed over each block of batch rows apart
    // (gradientRow), then the blocks' sums added in block order. When the walking threads can take
    // whole blocks, as many each (and the GEMMs would take no more threads than walk), each walks
    // its block a chunk of steps at a time, packs the chunk's dA into a buffer of its own and takes
    // the chunk's weight gradient right after, while the buffer is still in its cache (T3 at two
    // threads: a backward pass of 13.6 ms against 15.2 for the walk packing every step into one
    // buffer and the GEMM after it, which is what the threads still do otherwise).
    int blocks = blocks(batch);
    int walkers = Math.min(threads, blocks);
    boolean inRounds = inputInStep && blocks % walkers == 0 && walkers >= gemmThreads;
    // the bias's gradient, the column sums of dA: over a chunk in the cache a sum of its own (which
    // costs a fraction of the tile of V's rows it would take); over every step a column of ones in V,
    // so that the GEMM's one pass over dA gives it (where a sum of its own would read dA once more)
    boolean onesInV = dBias != null && !inRounds;
    // the previous h of every step: the GRUs' time-major, LSTM's and SimpleRNN's beside the input,
    // V = [x | h] or [x | h | 1], in the weight gradient's row order (gradientRow)
    int vCols = in + u + (onesInV ? 1 : 0);
    float[] v = inputInStep ? inputsBesidePrevious(x, hs, h0, batch, steps, vCols) : null;
    float[] hPrev = inputInStep ? null : shifted(hs, h0, batch, n);
    float[] a = recordedA;
    float[] q = recordedQ;
    float[] resetH = null;
    if (a == null) {
      float[][] recomputed = preActivations(x, hPrev != null ? hPrev : shifted(hs, h0, batch, n), n);
      a = recomputed[0];
      q = recomputed[1];
      resetH = recomputed[2];
    }
    float[] dx = ws.recorded(n * in); // every row written below
    // else the gradients of the pre-activations, dA (of x·W + b) and dQ (of h·U), in logical layout
    // float32, as the GEMMs that read them take it; with a mask zeroed, as masked rows' gradients
    // stay zero (without one, every row's columns that are read are written)
    float[] dA = inputInStep ? null : valid == null ? ws.recorded(n * width) : ws.recordedZeroed(n * width);
    float[] dQ = inputInStep ? null : valid == null ? ws.recorded(n * width) : ws.recordedZeroed(n * width);
    Steps pass = new Steps(batch, steps, a, q, hPrev, c0, cs, rec.activatedCells.get(k), valid, dHidden, dHiddenFrom, dh, dc, dA,
        dQ, weightsT, recordedA != null, inputInStep ? dx : null, threads);
    if (inRounds) {
      walkInRounds(pass, v, vCols, walkers);
      return dx;
    }
    if (inputInStep) {
      walkThenWeights(pass, v, vCols, onesInV, threads, gemmThreads);
      return dx;
    }
    walk(pass, threads, null, null);
    weightGradients(x, hPrev, resetH, n, dA, dQ);
    Packed kernelT = weightsT.kernel();
    float[] product = ws.recorded(n * kernelT.cols);
    split(n, (i0, i1) -> simd.gemm(dA, i0 * width, width, i1 - i0, kernelT, 0, kernelT.paddedUnits, product, i0 * kernelT.cols,
        kernelT.cols, false));
    for (int r = 0; r < n; r++) {
      System.arraycopy(product, r * kernelT.cols, dx, r * in, in);
    }
    return dx;
  }

  /** Each thread walks its batch rows [b0, b1) through every step, their dA packed into {@code packed} (LSTM, SimpleRNN) or null. */
  private void walk(Steps pass, int threads, Packed[] packed, int[] packedFrom) {
    loop.parallel().run(threads, (thread, count) -> {
      int b0 = RecurrentLoop.rowSplit(pass.batch, thread, count);
      int b1 = RecurrentLoop.rowSplit(pass.batch, thread + 1, count);
      if (b1 > b0) {
        pass.rows(thread, b0, b1, 0, pass.steps, packed, packedFrom);
      }
    });
  }

  /**
   * LSTM, SimpleRNN, rounds of blocks of batch rows: in a round each thread walks a block back
   * through the steps a chunk at a time, and after each chunk's walk adds the chunk's {@code
   * Vᵀ·dA} to the block's product; then the round's products are added to the weight gradients in
   * block order.
   */
  private void walkInRounds(Steps pass, float[] v, int vCols, int walkers) {
    int batch = pass.batch;
    int steps = pass.steps;
    int blocks = blocks(batch);
    Packed[] buffers = new Packed[walkers];
    // the chunk being walked of each block: a thread's buffer, from the chunk's first row in gradientRow's order
    Packed[] views = new Packed[blocks];
    int[] viewsFrom = new int[blocks];
    float[][] products = new float[walkers][];
    for (int i = 0; i < walkers; i++) {
      buffers[i] = Packed.empty(CHUNK_ROWS, 1, width, simd, ws);
      products[i] = ws.recorded((in + u + 1) * buffers[i].cols);
    }
    for (int first = 0; first < blocks; first += walkers) {
      int round = first;
      loop.parallel().run(walkers, (thread, count) -> {
        // a thread alone (the pool busy) takes the whole round, a product per block still
        for (int i = thread; i < walkers; i += count) {
          int blk = round + i;
          int block = blk * ROW_BLOCK;
          int rows = Math.min(ROW_BLOCK, batch - block);
          int chunk = chunkSteps(rows);
          for (int to = steps; to > 0; to -= chunk) {
            int from = Math.max(0, to - chunk);
            views[blk] = buffers[thread].withRows((to - from) * rows);
            viewsFrom[blk] = gradientRow(from, block, batch, steps);
            pass.rows(thread, block, block + rows, from, to, views, viewsFrom);
            weightChunk(v, vCols, viewsFrom[blk], views[blk], products[i], to < steps, false, 1);
          }
        }
      });
      addProducts(v, products, walkers, buffers[0].cols, walkers);
    }
  }

  /**
   * LSTM, SimpleRNN, threads not taking whole blocks: the threads walk their rows through every
   * step, each block's dA packed apart; then block by block the GEMMs take the block's {@code
   * Vᵀ·dA}, which is added to the weight gradients.
   */
  private void walkThenWeights(Steps pass, float[] v, int vCols, boolean onesInV, int threads, int gemmThreads) {
    int batch = pass.batch;
    int steps = pass.steps;
    int blocks = blocks(batch);
    Packed[] packed = new Packed[blocks];
    int[] packedFrom = new int[blocks];
    for (int blk = 0; blk < blocks; blk++) {
      int block = blk * ROW_BLOCK;
      packed[blk] = Packed.empty(Math.min(ROW_BLOCK, batch - block) * steps, 1, width, simd, ws);
      packedFrom[blk] = block * steps;
    }
    walk(pass, threads, packed, packedFrom);
    float[][] product = {ws.recorded((in + u + 1) * packed[0].cols)};
    for (int blk = 0; blk < blocks; blk++) {
      weightChunk(v, vCols, packedFrom[blk], packed[blk], product[0], false, onesInV, gemmThreads);
      addProducts(v, product, 1, packed[0].cols, gemmThreads);
    }
  }

  /**
   * {@code Vᵀ·dA} (and {@code 1ᵀ·dA} unless V has its column of ones) over the rows of {@code
   * packedA}, V's rows from {@code kOff}, added to the products of the rows before them in {@link
   * #gradientRow}'s order ({@code accumulate}): each thread its rows of Vᵀ and its panels of the
   * bias's row.
   */
  private void weightChunk(float[] v, int vCols, int kOff, Packed packedA, float[] product, boolean accumulate, boolean onesInV,
      int threads) {
    int cols = packedA.cols;
    loop.parallel().run(threads, (thread, count) -> {
      int i0 = RecurrentLoop.rowSplit(vCols, thread, count);
      int i1 = RecurrentLoop.rowSplit(vCols, thread + 1, count);
      if (i1 > i0) {
        simd.gemm(v, kOff * vCols + i0, 1, vCols, i1 - i0, packedA, 0, packedA.paddedUnits, product, i0 * cols, cols, accumulate);
      }
      int q0 = RecurrentLoop.rowSplit(packedA.panels, thread, count) * Packed.NR;
      int q1 = RecurrentLoop.rowSplit(packedA.panels, thread + 1, count) * Packed.NR;
      if (dBias != null && !onesInV && q1 > q0) {
        simd.gemm(ONE, 0, 0, 0, 1, packedA, q0, q1, product, (in + u) * cols, cols, accumulate);
      }
    });
  }

  /** Whether part of the previous h's gradient bypasses U (the GRUs': {@code z∘dh}), else it is all {@code dQ·Uᵀ}. */
  private boolean carriesDirect() {
    return cell.kind == FastCell.Kind.GRU_RESET_AFTER || cell.kind == FastCell.Kind.GRU_RESET_BEFORE;
  }

  /** Rows [0, n) split across the worker threads when the work is large (GEMMs over whole sequences). */
  private void split(int n, RowRange body) {
    loop.parallel().run(splitThreads(n), (thread, count) -> {
      int r0 = RecurrentLoop.rowSplit(n, thread, count);
      int r1 = RecurrentLoop.rowSplit(n, thread + 1, count);
      if (r1 > r0) {
        body.run(r0, r1);
      }
    });
  }

  /** The threads {@link #split} takes for a GEMM over {@code n} rows (of a whole sequence). */
  private int splitThreads(int n) {
    return (long) n * padded * (in + u) >= RecurrentLoop.PARALLEL_WORK ? loop.parallel().threads() : 1;
  }

  private interface RowRange {
    void run(int r0, int r1);
  }

  /** The reverse walk through the steps, shared by the threads that each take a block of batch rows. */
  private final class Steps {
    final int batch;
    final int steps;
    final float[] a;
    final float[] q;
    /** LSTM: the initial c (else null), the c before step 0's. */
    final float[] c0;
    final float[] cs;
    /** φ(c') of every step, recorded by the forward steps of a cell that records its activated gates (else null). */
    final float[] tanhCs;
    final boolean[] valid;
    final float[] dHidden;
    final int dHiddenFrom;
    final float[] dh;
    final float[] dc;
    /** GRUs: the previous h of every step (else null). */
    final float[] hPrev;
    /** GRUs: the whole pass's gradient rows (else null). */
    final float[] dA;
    final float[] dQ;
    /** {@code Uᵀ} (GRU reset_before: z's and r's), with {@code Wᵀ} after it when {@link #dx} is set. */
    final Packed recurrentT;
    final Packed candidateT;
    /** Whether {@link #a} is what the forward's steps recorded (else recomputed pre-activations). */
    final boolean recorded;
    /** The input's gradient, computed with the previous h's (LSTM, SimpleRNN), else null. */
    final float[] dx;
    /** {@link CellBackprop#carriesDirect}: whether {@link StepScratch#direct} is added to the product. */
    final boolean carriesDirect;
    /** Each thread's arrays, kept from chunk to chunk (room for its most rows). */
    final StepScratch[] scratch;

    Steps(int batch, int steps, float[] a, float[] q, float[] hPrev, float[] c0, float[] cs, float[] tanhCs, boolean[] valid,
        float[] dHidden, int dHiddenFrom, float[] dh, float[] dc, float[] dA, float[] dQ, Transposed weightsT, boolean recorded,
        float[] dx, int threads) {
      this.batch = batch;
      this.steps = steps;
      this.a = a;
      this.q = q;
      this.hPrev = hPrev;
      this.c0 = c0;
      this.cs = cs;
      this.tanhCs = tanhCs;
      this.valid = valid;
      this.dHidden = dHidden;
      this.dHiddenFrom = dHiddenFrom;
      this.dh = dh;
      this.dc = dc;
      this.dA = dA;
      this.dQ = dQ;
      this.recurrentT = weightsT.recurrent();
      this.candidateT = weightsT.candidate();
      this.recorded = recorded;
      this.dx = dx;
      this.carriesDirect = carriesDirect();
      this.scratch = new StepScratch[threads];
    }

    /**
     * Rows [b0, b1) from step {@code to − 1} back to step {@code from}, on thread {@code thread}:
     * each valid row's gate gradients, then the previous h's gradient — what reached it directly
     * plus {@code dQ·Uᵀ}, one GEMM for the rows (which also gives the input's gradient when {@link
     * #dx} is set); a masked row's state gradients pass on unchanged. LSTM, SimpleRNN: each step's
     * gate gradient rows go to {@code packed}, the rows of batch rows [16·i, 16·i + 16) to {@code
     * packed[i]}, which holds them in {@link #gradientRow}'s order from row {@code packedFrom[i]};
     * else (null) to the pass's dA and dQ.
     */
    void rows(int thread, int b0, int b1, int from, int to, Packed[] packed, int[] packedFrom) {
      int rows = b1 - b0;
      StepScratch s = scratch[thread];
      if (s == null || s.active.length < rows) {
        s = new StepScratch(rows, packed != null);
        scratch[thread] = s;
      }
      float[] product = s.product;
      float[] candidateProduct = s.candidateProduct;
      // the activated gates, when this cell's fast step recorded them (the exact path's cells record nothing)
      boolean fastLstm = recorded && cell.recordsActivatedGates();
      // a step's gradient rows: the thread's own rows, put into the packed B after the step, or the pass's
      float[] outA = packed != null ? s.out : dA;
      float[] outQ = packed != null ? outA : dQ;
      for (int t = to - 1; t >= from; t--) {
        int first = t * batch + b0;
        // the first of this step's rows in outA and outQ
        int base = packed != null ? 0 : first;
        // where this block's gradient from outside starts in dHidden, or -1 for none
        int outside = t >= dHiddenFrom ? (first - dHiddenFrom * batch) * u : -1;
        for (int lb = 0; lb < rows; lb++) {
          s.active[lb] = valid == null || valid[first + lb];
        }
        // LSTM: the previous c of the block's rows, read in place: the step before's c', or the initial c
        float[] cPrev = t > 0 ? cs : c0;
        int cPrevAt = t > 0 ? (first - batch) * u : b0 * u;
        if (fastLstm) {
          lstmGradients(first, b0, rows, outside, outA, s, a, cPrev, cPrevAt, tanhCs, dHidden, dh, dc);
        } else {
          for (int lb = 0; lb < rows; lb++) {
            int h = (b0 + lb) * u;
            for (int j = 0; outside >= 0 && j < u; j++) {
              dh[h + j] += dHidden[outside + lb * u + j];
            }
            if (s.active[lb]) {
              gateGradients(first + lb, b0 + lb, lb, (base + lb) * width, a, q, hPrev, cPrev, cPrevAt + lb * u, cs, dh, dc, outA, outQ,
                  s);
            } else if (packed != null) {
              Arrays.fill(outA, lb * width, (lb + 1) * width, 0f); // a masked row's gradients are zero
            }
          }
        }
        if (candidateT != null) {
          simd.gemm(s.dCandidate, 0, u, rows, candidateT, 0, candidateT.paddedUnits, candidateProduct, 0, candidateT.cols, false);
          candidateThroughReset(first, base, rows, hPrev, outA, outQ, candidateProduct, candidateT.cols, s);
        }
        simd.gemm(outQ, base * width, width, rows, recurrentT, 0, recurrentT.paddedUnits, product, 0, recurrentT.cols, false);
        if (packed != null) {
          // the rows, a stretch of gradientRow's order for each block of batch rows they span
          for (int lb = 0; lb < rows; ) {
            int b = b0 + lb;
            int blk = b / ROW_BLOCK;
            int count = Math.min(b1, (blk + 1) * ROW_BLOCK) - b;
            packed[blk].putRows(outA, lb * width, gradientRow(t, b, batch, steps) - packedFrom[blk], count);
            lb += count;
          }
        }
        for (int lb = 0; lb < rows; lb++) {
          int h = (b0 + lb) * u;
          if (s.active[lb] && carriesDirect) {
            for (int j = 0; j < u; j++) {
              dh[h + j] = (float) (s.direct[lb * u + j] + product[lb * recurrentT.cols + j]);
            }
          } else if (s.active[lb]) {
            System.arraycopy(product, lb * recurrentT.cols, dh, h, u);
          }
          if (dx != null) {
            System.arraycopy(product, lb * recurrentT.cols + u, dx, (first + lb) * in, in);
          }
        }
      }
    }
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

  /** Batch rows per block of {@link #gradientRow}'s order. */
  static final int ROW_BLOCK = 16;

  /** The blocks of {@link #ROW_BLOCK} rows a batch of {@code batch} rows makes (the last may be shorter). */
  private static int blocks(int batch) {
    return (batch + ROW_BLOCK - 1) / ROW_BLOCK;
  }
  /** About how many rows of dA (steps times a block's batch rows) one thread packs per chunk of steps. */
  static final int CHUNK_ROWS = 160;

  /**
   * Steps per chunk of a block of {@code rows} batch rows ({@link #walkInRounds}): about {@link #CHUNK_ROWS}
   * rows, whose packed dA (W3: 10 steps of 16 rows, 640 KB) the weight gradient's GEMM reads from
   * the cache the walk wrote it into, where one packed dA for every step (13 MB) was written to
   * memory and read back (a T3-sized weight gradient alone, one thread, with the copies into the
   * packed dA: 12.4 against 13.7–14.2 ms).
   */
  static int chunkSteps(int rows) {
    return Math.max(1, CHUNK_ROWS / rows);
  }

  /**
   * Where step {@code t}'s batch row {@code b} lies among the rows of the LSTM's and SimpleRNN's
   * weight-gradient operands (V and the packed dA), whose order is the weight gradients' sum over
   * them: the batch rows in blocks of {@link #ROW_BLOCK}; a block chunk by chunk of {@link
   * #chunkSteps} steps from the last step back (the walk's order); a chunk step by step. Threads
   * walking their own batch rows then write long stretches of the packed dA that no other thread
   * writes beside (in step-major order two threads' rows met in every panel at every step: T3 at two
   * threads, 1.4–1.9 ms of copying them there against 0.8–0.9; with the blocks inside chunks of
   * steps, 1.2–1.5), and a thread takes a chunk's rows as one stretch. The weight gradients add
   * each block's rows apart and then the blocks' sums in block order, so that threads can take
   * blocks of their own; the order depends on neither the number of threads nor the kernels, so
   * neither do the sums' bits.
   */
  static int gradientRow(int t, int b, int batch, int steps) {
    int block = b - b % ROW_BLOCK;
    int rows = Math.min(ROW_BLOCK, batch - block);
    int chunk = chunkSteps(rows);
    int to = steps - (steps - 1 - t) / chunk * chunk;
    int from = Math.max(0, to - chunk);
    return block * steps + (steps - to) * rows + (t - from) * rows + b - block;
  }

  /**
   * LSTM, SimpleRNN: each step's input beside its previous h (and a 1 when {@code cols} has room for
   * it), {@code V = [x | h | 1]}, rows of {@code cols} in {@link #gradientRow}'s order: the weight
   * gradient {@code Vᵀ·dA} is then one GEMM per chunk of steps (or per block of batch rows), which
   * reads that dA once per block of V's columns (where one GEMM per part read it once per part).
   */
  private float[] inputsBesidePrevious(float[] x, float[] hs, float[] h0, int batch, int steps, int cols) {
    boolean ones = cols > in + u;
    float[] v = ws.recorded(steps * batch * cols);
    split(steps * batch, (r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int t = r / batch;
        int b = r - t * batch;
        int o = gradientRow(t, b, batch, steps) * cols;
        System.arraycopy(x, r * in, v, o, in);
        if (t == 0) {
          System.arraycopy(h0, b * u, v, o + in, u);
        } else {
          System.arraycopy(hs, (r - batch) * u, v, o + in, u);
        }
        if (ones) {
          v[o + in + u] = 1f;
        }
      }
    });
    return v;
  }

  /** The previous step's states for every step: {@code init} before step 0, else the step before's. */
  private float[] shifted(float[] states, float[] init, int batch, int n) {
    int size = init.length / batch;
    float[] prev = ws.recorded(n * size);
    System.arraycopy(init, 0, prev, 0, init.length);
    split(n - batch, (r0, r1) -> System.arraycopy(states, r0 * size, prev, init.length + r0 * size, (r1 - r0) * size));
    return prev;
  }

  /** Per-step arrays for one thread's block of rows (indexed from the block's first row; room for {@code rows}), allocated once per backward pass. */
  private final class StepScratch {
    final boolean[] active;
    /** The step's GEMM product for the block's rows, and GRU reset_before's candidate product (else null). */
    final float[] product;
    final float[] candidateProduct;
    /** LSTM, SimpleRNN: the step's gate gradient rows, before they are packed (else null). */
    final float[] out;
    /** Gate activations of one row (packed layout) and their gradients. */
    final float[] gate = new float[padded];
    final double[] dGate = new double[width];
    final double[] dy = new double[u];
    final double[] dxRow = new double[u];
    /** c' and φ(c') (LSTM), or the z and r pre-activations (GRU); room for a vector kernel's padding. */
    final float[] cell = new float[2 * u + Packed.NR];
    /** GRUs (else null): the part of each row's previous-h gradient that does not go through U. */
    final double[] direct;
    final float[] candidatePre = new float[u];
    /** GRU reset_before (else null): the candidate's pre-activation gradient, per row. */
    final float[] dCandidate;
    /** GRU reset_before (else null): each row's z and r pre-activations, then z and r; and the z gate's gradient. */
    final float[][] zrKeep;
    final double[][] dzKeep;

    StepScratch(int rows, boolean packs) {
      active = new boolean[rows];
      Transposed weightsT = CellBackprop.this.cell.transposed();
      product = new float[rows * weightsT.recurrent().cols];
      candidateProduct = weightsT.candidate() == null ? null : new float[rows * weightsT.candidate().cols];
      out = packs ? new float[rows * width] : null;
      FastCell.Kind kind = CellBackprop.this.cell.kind;
      direct = carriesDirect() ? new double[rows * u] : null;
      boolean resetBefore = kind == FastCell.Kind.GRU_RESET_BEFORE;
      dCandidate = resetBefore ? new float[rows * u] : null;
      zrKeep = resetBefore ? new float[rows][4 * u] : null;
      dzKeep = resetBefore ? new double[rows][u] : null;
    }
  }

  /**
   * One valid row's gate gradients at one step: sets {@code dA} and {@code dQ} from {@code o},
   * {@code s.direct} at {@code lb} (batch row {@code b}'s place in the block), and for LSTM the
   * previous c's gradient in {@code dc} (the row's previous c at {@code cPrev[cPrevAt ..]}).
   */
  private void gateGradients(int row, int b, int lb, int o, float[] a, float[] q, float[] hPrev, float[] cPrev, int cPrevAt, float[] cs,
      float[] dh, float[] dc, float[] dA, float[] dQ, StepScratch s) {
    int p = row * padded;
    int hb = b * u;
    int sb = lb * u;
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
          s.dGate[u + j] = dcTotal * cPrev[cPrevAt + j];
          s.dGate[2 * u + j] = dcTotal * s.gate[j];
          dc[hb + j] = (float) (dcTotal * s.gate[pu + j]);
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
          s.direct[sb + j] = dh[hb + j] * z;
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
          for (int j = 0; j < u; j++) {
            s.dCandidate[sb + j] = (float) s.dxRow[j];
          }
          float[] keep = s.zrKeep[lb];
          System.arraycopy(zr, 0, keep, 0, 2 * u);
          for (int j = 0; j < u; j++) {
            keep[2 * u + j] = s.gate[j];
            keep[3 * u + j] = s.gate[pu + j];
          }
          System.arraycopy(s.dGate, 0, s.dzKeep[lb], 0, u);
        }
      }
    }
  }

  /**
   * {@link #gateGradients} of an LSTM with Keras' default activations (tanh, and sigmoid for the
   * gates) for a block of {@code rows} rows from {@code first} (batch row {@code b0}), from the
   * activated gates the forward recorded ({@link FastCell#recordsActivatedGates}), by the kernels'
   * {@link Simd#lstmGateGradients}. Each valid row's gradients go to {@code out}'s row, its previous
   * c's to {@code dc}; a masked row's are zero, its states' gradients carried (its h's plus what
   * reaches it from outside).
   *
   * @param cPrevAt where the block's previous c starts in {@code cPrev}
   * @param tanhCs φ(c') of every step, as the forward recorded it
   * @param outside where the block's gradient from outside starts in dHidden, or -1 for none
   */
  private void lstmGradients(int first, int b0, int rows, int outside, float[] out, StepScratch s, float[] a, float[] cPrev,
      int cPrevAt, float[] tanhCs, float[] dHidden, float[] dh, float[] dc) {
    simd.lstmGateGradients(rows, s.active, a, first * padded, padded, pu, tanhCs, first * u, cPrev, cPrevAt,
        outside >= 0 ? dHidden : null, outside, dh, dc, b0 * u, out, width, u);
    for (int lb = 0; lb < rows; lb++) {
      if (!s.active[lb]) {
        Arrays.fill(out, lb * width, (lb + 1) * width, 0f);
      }
    }
  }

  /**
   * GRU reset_before, once {@code dResetH} holds {@code d(r∘h) = dCandidate·U_hᵀ} for the block
   * of rows from {@code first} (row stride {@code ld}): the reset gate's and the previous h's
   * shares, then the z and r pre-activation gradients (into dA's and dQ's rows from {@code base}).
   */
  private void candidateThroughReset(int first, int base, int rows, float[] hPrev, float[] dA, float[] dQ, float[] dResetH, int ld,
      StepScratch s) {
    for (int lb = 0; lb < rows; lb++) {
      if (!s.active[lb]) {
        continue;
      }
      int row = first + lb;
      int o = (base + lb) * width;
      float[] keep = s.zrKeep[lb];
      for (int j = 0; j < u; j++) {
        s.gate[j] = keep[2 * u + j];
        s.gate[pu + j] = keep[3 * u + j];
        s.dGate[j] = s.dzKeep[lb][j];
        s.dGate[u + j] = dResetH[lb * ld + j] * hPrev[row * u + j];
        s.direct[lb * u + j] += dResetH[lb * ld + j] * keep[3 * u + j];
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

  /**
   * The GRUs' dW = xᵀ·dA, dU = hᵀ·dQ (reset_before: the candidate's columns from (r∘h)ᵀ·dA), the
   * bias gradients as column sums {@code 1ᵀ·dA} (reset_after's recurrent row: {@code 1ᵀ·dQ}), each
   * sharing the GEMM of the same gradient, from the time-major rows of {@code dA}, {@code dQ} and
   * {@code hPrev}. (LSTM's and SimpleRNN's: {@link #walkInRounds}, {@link #walkThenWeights}.)
   */
  private void weightGradients(float[] x, float[] hPrev, float[] resetH, int n, float[] dA, float[] dQ) {
    Target bias = dBias == null ? null : new Target(dBias, 0, 1);
    switch (cell.kind) {
      case GRU_RESET_AFTER -> {
        transposedTimes(dA, 0, width, n, new Part(x, in, dKernel), Part.ones(bias));
        transposedTimes(dQ, 0, width, n, new Part(hPrev, u, dRecurrent), Part.ones(dBias == null ? null : new Target(dBias, width, 1)));
      }
      case GRU_RESET_BEFORE -> {
        transposedTimes(dA, 0, width, n, new Part(x, in, dKernel), Part.ones(bias));
        transposedTimes(dQ, 0, 2 * u, n, new Part(hPrev, u, dRecurrent));
        transposedTimes(dA, 2 * u, 3 * u, n, new Part(resetH, u, dRecurrent));
      }
      default -> throw new IllegalStateException(cell.kind.name());
    }
  }

  /** {@code rows} rows of a weight-gradient GEMM's product, each added to a row of {@code out} from {@code offset}, {@code width} apart. */
  private record Target(float[] out, int offset, int rows) {}

  /**
   * Columns of V in a weight-gradient GEMM {@code Vᵀ·d}: the {@code (n, cols)} matrix {@code values}
   * (null: a column of ones, whose product is a column sum), and where its rows of the product go,
   * target after target (null targets have no rows).
   */
  private record Part(float[] values, int cols, Target... targets) {
    /** All of {@code values}' columns into {@code out} from its first element. */
    Part(float[] values, int cols, float[] out) {
      this(values, cols, new Target(out, 0, cols));
    }

    /** The column sums into {@code target}, or null (no part) for a null target. */
    static Part ones(Target target) {
      return target == null ? null : new Part(null, 1, target);
    }

    /** Rows [i0, i1) of this part's {@code Vᵀ} times {@code b}, into C's rows from {@code cRow}: {@code Vᵀ} read in place. */
    void transposedTimes(Simd simd, int i0, int i1, Packed b, float[] c, int cRow) {
      boolean ones = values == null;
      simd.gemm(ones ? ONE : values, ones ? 0 : i0, ones ? 0 : 1, ones ? 0 : cols, i1 - i0, b, 0, b.paddedUnits, c, cRow * b.cols,
          b.cols, false);
    }
  }

  /**
   * The transposed weights the backward pass multiplies by, built once per packed cell ({@link
   * FastCell#transposed}): {@code Uᵀ} (GRU reset_before: z's and r's columns; LSTM and SimpleRNN:
   * {@code [Uᵀ | Wᵀ]}, as their step's GEMM also gives the input's gradient), GRU reset_before's
   * candidate {@code U_hᵀ} (else null), and {@code Wᵀ} for the GRUs (else null).
   */
  record Transposed(Packed recurrent, Packed candidate, Packed kernel) {
    static Transposed of(FastCell cell, float[] kernel, float[] recurrent) {
      int u = cell.units;
      int in = cell.in;
      int width = cell.gates * u;
      return switch (cell.kind) {
        case LSTM, SIMPLE -> {
          float[] stacked = Arrays.copyOf(recurrent, (u + in) * width);
          System.arraycopy(kernel, 0, stacked, u * width, in * width);
          yield new Transposed(transposedColumns(stacked, u + in, width, 0, width), null, null);
        }
        case GRU_RESET_AFTER -> new Transposed(transposedColumns(recurrent, u, width, 0, width), null,
            transposedColumns(kernel, in, width, 0, width));
        case GRU_RESET_BEFORE -> new Transposed(transposedColumns(recurrent, u, width, 0, 2 * u),
            transposedColumns(recurrent, u, width, 2 * u, 3 * u), transposedColumns(kernel, in, width, 0, width));
      };
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
   * {@code part.out[part.offset + i·width + c0 + j] += Σ_r part.values[r·part.cols + i] · d[r·width +
   * c0 + j]} for columns [c0, c1) of {@code d} and every part (null parts skipped): {@code Vᵀ·d}
   * over {@code n} rows with {@code V} the parts side by side, as one GEMM that reads each part's
   * transpose in place.
   */
  private void transposedTimes(float[] d, int c0, int c1, int n, Part... parts) {
    int k = c1 - c0;
    float[] dCols = d;
    if (k != width) {
      dCols = new float[n * k];
      for (int r = 0; r < n; r++) {
        System.arraycopy(d, r * width + c0, dCols, r * k, k);
      }
    }
    Packed b = Packed.empty(n, 1, k, simd, ws);
    float[] gradient = dCols;
    split(n, (r0, r1) -> b.fillRows(gradient, r0, r1));
    transposedTimes(b, c0, parts);
  }

  /** {@link #transposedTimes(float[], int, int, int, Part...)} with {@code d}'s columns from {@code c0} packed: {@code b}. */
  private void transposedTimes(Packed b, int c0, Part... parts) {
    int k = b.units;
    int m = 0;
    for (Part part : parts) {
      m += part == null ? 0 : part.cols();
    }
    float[] c = ws.recorded(m * b.cols);
    // each thread's rows of Vᵀ, part by part
    split(m, (r0, r1) -> {
      int at = 0;
      for (Part part : parts) {
        if (part == null) {
          continue;
        }
        int lo = Math.max(r0, at);
        int hi = Math.min(r1, at + part.cols());
        if (lo < hi) {
          part.transposedTimes(simd, lo - at, hi - at, b, c, lo);
        }
        at += part.cols();
      }
    });
    addProduct(c, b.cols, c0, k, 0, m, parts);
  }

  /**
   * Rows [r0, r1) of a weight-gradient product {@code c} (rows {@code ldc} apart, the targets'
   * {@code k} columns from column {@code c0}) added to its parts' targets, row by row.
   */
  private void addProduct(float[] c, int ldc, int c0, int k, int r0, int r1, Part... parts) {
    int at = 0;
    for (Part part : parts) {
      if (part == null) {
        continue;
      }
      for (Target target : part.targets()) {
        if (target == null) {
          continue;
        }
        for (int i = Math.max(0, r0 - at); i < Math.min(target.rows(), r1 - at); i++) {
          for (int j = 0; j < k; j++) {
            target.out()[target.offset() + i * width + c0 + j] += c[(at + i) * ldc + j];
          }
        }
        at += target.rows();
      }
    }
  }

  /**
   * LSTM, SimpleRNN: the first {@code count} of {@code products} (each {@code Vᵀ·dA} with rows
   * {@code ldc} apart: the kernel's rows, the recurrent kernel's, the bias's) added to the weight
   * gradients one after the other, each thread its rows.
   */
  private void addProducts(float[] v, float[][] products, int count, int ldc, int threads) {
    Part[] parts = {new Part(v, in + u, new Target(dKernel, 0, in), new Target(dRecurrent, 0, u)),
        Part.ones(dBias == null ? null : new Target(dBias, 0, 1))};
    int m = in + u + (dBias == null ? 0 : 1);
    loop.parallel().run(threads, (thread, n) -> {
      int r0 = RecurrentLoop.rowSplit(m, thread, n);
      int r1 = RecurrentLoop.rowSplit(m, thread + 1, n);
      for (int p = 0; p < count; p++) {
        addProduct(products[p], ldc, 0, width, r0, r1, parts);
      }
    });
  }
}

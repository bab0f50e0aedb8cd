package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.rnn4j.LayerStates;
import org.rnn4j.Tensor;
import org.rnn4j.Weights;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.spi.Stepper;

/**
 * Steps a model in place on the fast kernels: every layer is a stage with its own preallocated
 * arrays, recurrent stages keep their states in two arrays per state that swap at each step, so a
 * step allocates nothing. The arithmetic is the fast path's (same kernels, same order), so a step
 * gives the numbers of a one-step call. Runs on the calling thread.
 */
final class ReferenceStepper implements Stepper {
  private final ReferencePreparedModel model;
  private final int batch;
  /** The layers' stages in order (an array: a step must not even allocate an iterator). */
  private Stage[] stages = new Stage[0];
  private final List<RecurrentStage> carried = new ArrayList<>();

  /** One layer for one step: reads rows of its input, returns the array holding its output rows. */
  private interface Stage {
    float[] run(float[] x);
  }

  private ReferenceStepper(ReferencePreparedModel model, int batch) {
    this.model = model;
    this.batch = batch;
  }

  /** Whether this architecture can be stepped: a float sequence input and stepwise layers. */
  private static boolean supports(Sequential arch) {
    InputSpec in = arch.input();
    if (in.integerIds() || in.rank() != 2 || (in.shape()[0] != -1 && in.shape()[0] != 1)) {
      return false;
    }
    for (Layer l : arch.layers()) {
      if (l instanceof TimeDistributed t && !(t.layer() instanceof Dense)) {
        return false; // other time-distributed layers run as calls
      }
      Dense dense = l instanceof Dense d ? d : l instanceof TimeDistributed t ? (Dense) t.layer() : null;
      if (dense != null && dense.activation().outputWidth(dense.units()) != dense.units()) {
        return false; // crelu and glu resize the row: the general path runs them after the product
      }
      boolean stepwise = l instanceof RNN || dense != null
          || l instanceof ActivationLayer || l instanceof Flatten || l instanceof InferenceIdentity;
      if (!stepwise) {
        return false;
      }
    }
    return true;
  }

  /**
   * A stepper for the model, or null when its layers need the general path or one of its recurrent
   * layers would split a step's rows across threads (large steps are left to the general path,
   * which spreads them over the backend's workers).
   */
  static ReferenceStepper of(ReferencePreparedModel model, ReferenceEngine engine, int batch, Set<Integer> carriedLayers) {
    if (!(model.model().architecture() instanceof Sequential arch) || !supports(arch)) {
      return null; // functional graphs step as one-step calls
    }
    Weights weights = model.model().weights();
    ReferenceStepper s = new ReferenceStepper(model, batch);
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer l = arch.layer(i);
      String key = arch.layerName(i);
      List<Tensor> w = weights.forLayer(arch, i);
      int in = arch.inputShape(i)[arch.inputShape(i).length - 1];
      if (l instanceof RNN r) {
        List<FastCell> cells = engine.weights().fastCells(key, r.cell(), in, w);
        for (FastCell cell : cells) {
          if (engine.loop().threads(cell, batch, 1) > 1) {
            return null;
          }
        }
        RecurrentStage stage = s.new RecurrentStage(i, engine.simd(), cells);
        stages.add(stage);
        if (carriedLayers.contains(i)) {
          s.carried.add(stage);
        } else {
          stage.zeroAlways = true;
        }
      } else if (l instanceof Dense d) {
        stages.add(s.new DenseStage(engine.simd(), engine.weights().fastDense(key, d, w)));
      } else if (l instanceof TimeDistributed t) {
        stages.add(s.new DenseStage(engine.simd(), engine.weights().fastDense(key, (Dense) t.layer(), w)));
      } else if (l instanceof ActivationLayer a) {
        stages.add(s.new ActivationStage(a.activation(), in));
      }
      // Flatten of a one-step row and the inference identities leave the rows as they are.
    }
    s.stages = stages.toArray(new Stage[0]);
    return s;
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public void step(float[] input, float[] output) {
    model.checkOpen();
    float[] x = input;
    for (int i = 0; i < stages.length; i++) {
      x = stages[i].run(x);
    }
    System.arraycopy(x, 0, output, 0, output.length);
  }

  @Override
  public void load(LayerStates states) {
    for (RecurrentStage r : carried) {
      r.zero();
    }
    if (states.isEmpty()) {
      return;
    }
    for (RecurrentStage r : carried) {
      List<Tensor> given = Stepper.checkedStates(states, model.model().architecture(), r.layer, batch);
      for (int k = 0; k < given.size(); k++) {
        given.get(k).copyTo(r.state(k), 0);
      }
    }
  }

  @Override
  public LayerStates states() {
    LayerStates out = LayerStates.empty();
    for (RecurrentStage r : carried) {
      List<Tensor> states = new ArrayList<>();
      for (int k = 0; k < r.stateCount(); k++) {
        float[] s = r.state(k);
        states.add(Tensor.of(new int[] {batch, s.length / batch}, s));
      }
      out = out.with(r.layer, states);
    }
    return out;
  }

  @Override
  public void resetRows(int... rows) {
    for (RecurrentStage r : carried) {
      for (int k = 0; k < r.stateCount(); k++) {
        float[] s = r.state(k);
        int units = s.length / batch;
        for (int row : rows) {
          Arrays.fill(s, row * units, (row + 1) * units, 0f);
        }
      }
    }
  }

  /**
   * A recurrent layer: each cell projects its input rows, then steps; {@code h} and {@code c} of
   * each cell live in two arrays that swap roles at every step.
   */
  private final class RecurrentStage implements Stage {
    final int layer;
    final Simd simd;
    final List<FastCell> cells;
    final float[][][] h;
    final float[][][] c;
    /** Which of the two arrays of each cell holds its current states. */
    final int[] current;
    final float[][] z;
    final float[] rec;
    final float[] resetH;
    final float[][] lanes;
    /** The step's arrays, set for each cell and reused: a step allocates nothing. */
    final StepArrays arrays = new StepArrays();
    /** A layer whose states are not carried starts every step from zeros. */
    boolean zeroAlways;

    RecurrentStage(int layer, Simd simd, List<FastCell> cells) {
      this.layer = layer;
      this.simd = simd;
      this.cells = cells;
      int n = cells.size();
      h = new float[n][2][];
      c = new float[n][2][];
      current = new int[n];
      z = new float[n][];
      int recSize = 0;
      int units = 0;
      int padded = 0;
      int laneCount = 0;
      for (int k = 0; k < n; k++) {
        FastCell cell = cells.get(k);
        for (int p = 0; p < 2; p++) {
          h[k][p] = new float[batch * cell.units];
          c[k][p] = cell.kind == FastCell.Kind.LSTM ? new float[batch * cell.units] : null;
        }
        z[k] = new float[batch * cell.width];
        recSize = Math.max(recSize, batch * cell.recurrentScratch());
        units = Math.max(units, cell.units);
        padded = Math.max(padded, cell.laneWidth(batch));
        laneCount = Math.max(laneCount, cell.lanes());
      }
      rec = new float[recSize];
      resetH = new float[batch * units];
      lanes = new float[laneCount][padded];
    }

    @Override
    public float[] run(float[] x) {
      if (zeroAlways) {
        zero();
      }
      float[] in = x;
      for (int k = 0; k < cells.size(); k++) {
        FastCell cell = cells.get(k);
        int cur = current[k];
        cell.project(simd, in, batch, z[k], 0);
        arrays.simd = simd;
        arrays.rows = batch;
        arrays.z = z[k];
        arrays.zOff = 0;
        arrays.hCur = h[k][cur];
        arrays.hNext = h[k][1 - cur];
        arrays.cCur = c[k][cur];
        arrays.cNext = c[k][1 - cur];
        arrays.rec = rec;
        arrays.resetH = resetH;
        arrays.lanes = lanes;
        cell.step(arrays);
        current[k] = 1 - cur;
        in = h[k][1 - cur];
      }
      return in;
    }

    int stateCount() {
      int n = 0;
      for (FastCell cell : cells) {
        n += cell.stateCount();
      }
      return n;
    }

    /** State {@code k} in Keras' flattened order (h1, c1, h2, ...): its current array. */
    float[] state(int k) {
      int i = 0;
      for (int cell = 0; cell < cells.size(); cell++) {
        if (i++ == k) {
          return h[cell][current[cell]];
        }
        if (c[cell][0] != null && i++ == k) {
          return c[cell][current[cell]];
        }
      }
      throw new IndexOutOfBoundsException("state " + k);
    }

    void zero() {
      for (int k = 0; k < cells.size(); k++) {
        Arrays.fill(h[k][current[k]], 0f);
        if (c[k][0] != null) {
          Arrays.fill(c[k][current[k]], 0f);
        }
      }
    }
  }

  /** {@code activation(x·W + b)} for every row, as one GEMM. */
  private final class DenseStage implements Stage {
    final Simd simd;
    final FastDense dense;
    final float[] z;
    final float[] out;

    DenseStage(Simd simd, FastDense dense) {
      this.simd = simd;
      this.dense = dense;
      this.z = new float[batch * dense.scratchWidth()];
      this.out = new float[batch * dense.layer.units()];
    }

    @Override
    public float[] run(float[] x) {
      dense.apply(simd, x, batch, z, out);
      return out;
    }
  }

  /** An activation into its own array (the input may be a recurrent state). */
  private final class ActivationStage implements Stage {
    final Activation activation;
    final int width;
    final float[] out;

    ActivationStage(Activation activation, int width) {
      this.activation = activation;
      this.width = width;
      this.out = new float[batch * activation.outputWidth(width)];
    }

    @Override
    public float[] run(float[] x) {
      ReferenceKernels.apply(activation, x, width, out);
      return out;
    }
  }
}

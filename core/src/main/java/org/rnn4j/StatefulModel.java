package org.rnn4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Sequential;
import org.rnn4j.spi.Stepper;
import org.rnn4j.spi.Stepping;

/**
 * A prepared model that keeps its recurrent layers' final states as the next call's initial
 * states, per batch row, as Keras' {@code stateful=True} layers do. It is also the streaming API:
 * feeding a sequence one step (or one chunk) at a time gives the same results as one call over the
 * whole sequence.
 *
 * <pre>{@code
 * StatefulModel stream = StatefulModel.of(prepared);
 * for (Tensor step : steps) {            // each (batch, 1, features)
 *   Tensor y = stream.run(step).output();
 * }
 * stream.resetStates();                  // or resetStates(row) for chosen batch rows
 * }</pre>
 *
 * <p>{@link #step(float[], float[])} streams from and into the caller's arrays. On the reference
 * backend (fast path) a model of recurrent, Dense, TimeDistributed(Dense), Activation, Flatten and
 * inference-identity layers is stepped in place and a warm step allocates nothing; other models and
 * backends, and steps the reference backend would split across threads, run each step as a call
 * and copy its output.
 *
 * <p>Which layers carry state: when the model has layers with {@code stateful=True}, exactly those
 * (as in Keras); when it has none, every recurrent layer (streaming). The batch size is fixed by
 * the first call until {@link #resetStates()}. Calls are serialized; the object is thread-safe.
 * With {@code go_backwards}, each call runs its own chunk backwards, as Keras' stateful layers do.
 */
public final class StatefulModel {
  private final PreparedModel model;
  private final Set<Integer> carried;
  /** Why {@link #step} cannot run this model, or null; the floats of one row's step in and out. */
  private final String stepRefusal;
  private final int stepInputSize;
  private final int stepOutputSize;
  private LayerStates states = LayerStates.empty();
  private int batch = -1;
  /** The backend's in-place stepper for batch size {@link #stepperBatch}, or null if it has none. */
  private Stepper stepper;
  private int stepperBatch = -1;
  /** Whether the stepper's arrays, not {@link #states}, hold the current states. */
  private boolean stepperHoldsStates;

  private StatefulModel(PreparedModel model) {
    this.model = Objects.requireNonNull(model);
    Architecture arch = model.model().architecture();
    this.carried = carriedLayers(arch);
    this.stepInputSize = stepRowSize(arch.inputs().get(0).shape());
    this.stepOutputSize = stepRowSize(arch.outputShapes().get(0));
    this.stepRefusal = stepRefusal(arch, stepInputSize, stepOutputSize);
  }

  /** Wraps a prepared model; the caller still owns (and closes) it. */
  public static StatefulModel of(PreparedModel model) {
    return new StatefulModel(model);
  }

  private static Set<Integer> carriedLayers(Architecture arch) {
    Set<Integer> stateful = statefulLayers(arch);
    return stateful.isEmpty() ? new TreeSet<>(arch.recurrentLayers()) : stateful;
  }

  /** The recurrent layers the config declares {@code stateful=True} (by layer index). */
  public static Set<Integer> statefulLayers(Architecture arch) {
    Set<Integer> stateful = new TreeSet<>();
    for (int i : arch.recurrentLayers()) {
      Layer l = arch.layer(i);
      if ((l instanceof RNN r && r.stateful()) || (l instanceof Bidirectional b && b.stateful())) {
        stateful.add(i);
      }
    }
    return stateful;
  }

  /** The indices of the layers whose states are carried between calls. */
  public Set<Integer> carriedLayers() {
    return Set.copyOf(carried);
  }

  /** Runs one call starting from the carried states, and keeps its final states. */
  public Result run(Tensor input) {
    return run(Call.of(input));
  }

  /**
   * Runs one call starting from the carried states, and keeps its final states. The first call
   * (after creation or {@link #resetStates()}) may give initial states; later calls may not, as
   * the model supplies them.
   *
   * @throws InvalidInputException if the batch size differs from the first call's, or a later
   *     call gives initial states
   */
  public synchronized Result run(Call call) {
    boolean given = call.initialState() != null || !call.initialStates().isEmpty();
    LayerStates start = currentStates();
    if (given && !start.isEmpty()) {
      throw new InvalidInputException("a stateful model supplies its own initial states after its first call; "
          + "give them to the first call after resetStates(), or use setStates()");
    }
    int b = call.input().rank() == 0 ? 0 : call.input().dim(0);
    checkBatch(b);
    Result r = model.run(given ? call : call.withInitialStates(start));
    LayerStates next = LayerStates.empty();
    for (int layer : carried) {
      next = next.with(layer, r.finalStates().get(layer));
    }
    states = next;
    stepperHoldsStates = false;
    batch = b;
    return r;
  }

  /**
   * Runs one time step for every batch row, from and into the caller's arrays, starting from the
   * carried states and keeping the final ones: the same numbers as {@link #run(Tensor)} on a {@code
   * (batch, 1, features...)} tensor. The batch size is {@code input.length} divided by the floats
   * of one row's step.
   *
   * @param input one step of every batch row, row-major
   * @param output receives the model's output for the step, row-major ({@code batch} times the
   *     floats of one row's output); must have exactly that length
   * @throws InvalidInputException if an array's length does not fit the model or the batch size
   *     differs from the previous call's
   */
  public synchronized void step(float[] input, float[] output) {
    Architecture arch = model.model().architecture();
    if (stepRefusal != null) {
      throw new InvalidInputException(stepRefusal);
    }
    if (input.length == 0 || input.length % stepInputSize != 0) {
      throw new InvalidInputException("step input has " + input.length + " floats, expected a positive multiple of "
          + stepInputSize + " (batch × one step of " + Shapes.format(stepShape(arch.inputs().get(0).shape())) + ")");
    }
    int b = input.length / stepInputSize;
    checkBatch(b);
    if (output.length != b * stepOutputSize) {
      throw new InvalidInputException("step output array has " + output.length + " floats, expected " + b * stepOutputSize
          + " (batch " + b + " × " + Shapes.format(stepShape(arch.outputShapes().get(0))) + ")");
    }
    if (stepperBatch != b) {
      // a stepper holding states has the batch size checked above, so none holds them here
      stepper = model instanceof Stepping s ? s.stepper(b, carried) : null;
      stepperBatch = b;
      stepperHoldsStates = false;
    }
    if (stepper == null) {
      int[] shape = new int[arch.inputs().get(0).rank() + 1];
      shape[0] = b;
      System.arraycopy(stepShape(arch.inputs().get(0).shape()), 0, shape, 1, shape.length - 1);
      run(Tensor.of(shape, input)).outputs().get(0).copyTo(output, 0);
      return;
    }
    if (!stepperHoldsStates) {
      stepper.load(states);
      stepperHoldsStates = true;
    }
    stepper.step(input, output);
    batch = b;
  }

  private void checkBatch(int b) {
    if (batch >= 0 && b != batch) {
      throw new InvalidInputException(
          "stateful model was called with batch size " + batch + ", got " + b + "; call resetStates() to change it");
    }
  }

  /** A per-example shape with its time axis (the first) set to one step. */
  private static int[] stepShape(int[] shape) {
    int[] s = shape.clone();
    if (s.length > 0 && s[0] == -1) {
      s[0] = 1;
    }
    return s;
  }

  /** The floats of one row's step of {@code shape}, or -1 when a dimension besides time is open. */
  private static int stepRowSize(int[] shape) {
    int n = 1;
    for (int d : stepShape(shape)) {
      if (d < 0) {
        return -1;
      }
      n *= d;
    }
    return n;
  }

  /** Why {@link #step} cannot run this model, or null when it can. */
  private static String stepRefusal(Architecture arch, int inputSize, int outputSize) {
    if (arch.inputs().size() != 1) {
      return "step() needs a model with one input; this one has " + arch.inputs().size() + ": use run()";
    }
    if (arch instanceof Sequential s) {
      int last = s.layers().size() - 1;
      if (s.layer(last) instanceof Bidirectional bi && bi.mergeMode() == MergeMode.NONE) {
        return "step() needs a model with one output; '" + s.layerName(last)
            + "' (Bidirectional, merge_mode=None) has two: use run()";
      }
    } else if (arch.outputShapes().size() != 1) {
      return "step() needs a model with one output; this one has " + arch.outputShapes().size() + ": use run()";
    }
    if (inputSize < 0 || outputSize < 0) {
      return "step() needs a model whose input and output have fixed sizes besides time; got input "
          + Shapes.format(arch.inputs().get(0).shape()) + ", output " + Shapes.format(arch.outputShapes().get(0));
    }
    return null;
  }

  /** The current states, wherever they are held. */
  private LayerStates currentStates() {
    return stepperHoldsStates ? stepper.states() : states;
  }

  /** Forgets every state: the next call starts from zeros, with any batch size. */
  public synchronized void resetStates() {
    states = LayerStates.empty();
    stepperHoldsStates = false;
    batch = -1;
  }

  /** Zeroes the states of the given batch rows only. */
  public synchronized void resetStates(int... rows) {
    if (batch < 0) {
      return;
    }
    for (int row : rows) {
      if (row < 0 || row >= batch) {
        throw new IndexOutOfBoundsException("row " + row + " outside batch of " + batch);
      }
    }
    if (stepperHoldsStates) {
      stepper.resetRows(rows);
      return;
    }
    LayerStates next = LayerStates.empty();
    for (int layer : states.layers()) {
      List<Tensor> zeroed = new ArrayList<>();
      for (Tensor t : states.get(layer)) {
        float[] d = t.toArray();
        int width = t.dim(1);
        for (int row : rows) {
          java.util.Arrays.fill(d, row * width, (row + 1) * width, 0f);
        }
        zeroed.add(Tensor.wrap(t.shape(), d));
      }
      next = next.with(layer, zeroed);
    }
    states = next;
  }

  /** The carried states (empty before the first call and after a reset). */
  public synchronized LayerStates states() {
    return currentStates();
  }

  /**
   * Sets the carried states, for example to restore a stream. Every carried layer must be given,
   * with one batch size.
   */
  public synchronized void setStates(LayerStates newStates) {
    if (!newStates.layers().equals(carried)) {
      throw new InvalidInputException("states must be given for layers " + carried + ", got " + newStates.layers());
    }
    states = newStates;
    stepperHoldsStates = false;
    batch = carried.isEmpty() ? -1 : newStates.get(carried.iterator().next()).get(0).dim(0);
  }

  /** The prepared model this runs on. */
  public PreparedModel model() {
    return model;
  }
}

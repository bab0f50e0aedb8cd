package org.rnn4j.tensorflow;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rnn4j.LayerStates;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Architecture;
import org.rnn4j.spi.Stepper;
import org.tensorflow.Result;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The TensorFlow backend's stepper: a step runs the graph of a one-step call with the carried
 * layers' states fed — the graph {@link org.rnn4j.StatefulModel}'s one-step calls run, so the
 * numbers are the same — but the states stay in TensorFlow's tensors from one step to the next
 * (the previous run's final states are fed back as they are), and the input is written into one
 * native tensor kept for the stream. A step copies its input in and its output out, nothing else.
 */
final class TfStepper implements Stepper {
  private static final Cleaner CLEANER = Cleaner.create();

  private final TfPreparedModel model;
  private final Signature signature;
  private final int batch;
  /** The carried layers in ascending order, and their states' sizes in that order. */
  private final List<Integer> layers;
  private final List<int[]> stateShapes = new ArrayList<>();
  private final int[] stateCounts;
  private final Tensors tensors;

  /**
   * The native tensors of one stepper. Closed when the prepared model closes, or by the cleaner
   * once the stepper is unreachable (a stream dropped without the model being closed).
   */
  static final class Tensors implements Runnable {
    private final Set<Tensors> registry;
    final TFloat32 input;
    /** The current states: owned by {@link #held} when it is not null, else by this. */
    TFloat32[] states;
    Result held;
    private boolean closed;

    Tensors(Set<Tensors> registry, TFloat32 input) {
      this.registry = registry;
      this.input = input;
    }

    /** Makes {@code next} (owned by {@code result}, or by this if null) the states; frees the previous ones. */
    synchronized void replace(TFloat32[] next, Result result) {
      freeStates();
      states = next;
      held = result;
    }

    private void freeStates() {
      if (held != null) {
        held.close();
      } else if (states != null) {
        for (TFloat32 t : states) {
          t.close();
        }
      }
      states = null;
      held = null;
    }

    @Override
    public synchronized void run() {
      if (!closed) {
        closed = true;
        freeStates();
        input.close();
        registry.remove(this);
      }
    }
  }

  private TfStepper(TfPreparedModel model, int[] inputShape, Set<Integer> carried, Set<Tensors> registry) {
    this.model = model;
    this.batch = inputShape[0];
    this.layers = List.copyOf(new TreeSet<>(carried));
    Architecture arch = model.model().architecture();
    this.stateCounts = new int[layers.size()];
    for (int l = 0; l < layers.size(); l++) {
      List<Integer> sizes = arch.stateSizes(layers.get(l));
      stateCounts[l] = sizes.size();
      for (int size : sizes) {
        stateShapes.add(new int[] {batch, size});
      }
    }
    this.signature = new Signature(List.of(java.util.Arrays.stream(inputShape).boxed().toList()), false, Set.copyOf(layers));
    this.tensors = new Tensors(registry, TFloat32.tensorOf(GraphOps.shape(inputShape)));
    registry.add(tensors);
    CLEANER.register(this, tensors);
    tensors.replace(zeros(), null);
  }

  /**
   * A stepper for {@code batch} rows of a model whose (only) input is a sequence with every
   * dimension but time fixed, or null for other models (they step through one-step calls).
   */
  static TfStepper of(TfPreparedModel model, int batch, Set<Integer> carried, Set<Tensors> registry) {
    Architecture arch = model.model().architecture();
    if (arch.inputs().size() != 1) {
      return null;
    }
    int[] spec = arch.inputs().get(0).shape();
    if (spec.length == 0) {
      return null;
    }
    int[] shape = new int[spec.length + 1];
    shape[0] = batch;
    shape[1] = 1;
    for (int d = 1; d < spec.length; d++) {
      if (spec[d] < 0) {
        return null;
      }
      shape[d + 1] = spec[d];
    }
    return new TfStepper(model, shape, carried, registry);
  }

  /** Whether this stepper's native tensors are still open (for tests). */
  boolean isOpen() {
    synchronized (tensors) {
      return !tensors.closed;
    }
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public void step(float[] input, float[] output) {
    model.whileOpenForStream(() -> {
      tensors.input.asRawTensor().data().asFloats().write(input);
      GraphPlan plan = model.plan(signature, null);
      try {
        Result result = plan.runStep(tensors.input, layers, tensors.states, model.sharedWeights(), output);
        TFloat32[] next = new TFloat32[stateShapes.size()];
        int k = 0;
        for (int l = 0; l < layers.size(); l++) {
          for (int s = 0; s < stateCounts[l]; s++) {
            next[k++] = plan.finalState(result, layers.get(l), s);
          }
        }
        tensors.replace(next, result);
      } finally {
        plan.release();
      }
      return null;
    });
  }

  @Override
  public void load(LayerStates states) {
    if (states.isEmpty()) {
      model.whileOpenForStream(() -> {
        tensors.replace(zeros(), null);
        return null;
      });
      return;
    }
    List<Tensor> flat = new ArrayList<>();
    for (int layer : layers) {
      flat.addAll(Stepper.checkedStates(states, model.model().architecture(), layer, batch));
    }
    model.whileOpenForStream(() -> {
      TFloat32[] next = new TFloat32[flat.size()];
      for (int k = 0; k < next.length; k++) {
        next[k] = TFloat32.tensorOf(GraphOps.shape(flat.get(k).shape()), DataBuffers.of(flat.get(k).buffer()));
      }
      tensors.replace(next, null);
      return null;
    });
  }

  @Override
  public LayerStates states() {
    return model.whileOpenForStream(() -> {
      Map<Integer, List<Tensor>> out = new HashMap<>();
      int k = 0;
      for (int l = 0; l < layers.size(); l++) {
        List<Tensor> ts = new ArrayList<>();
        for (int s = 0; s < stateCounts[l]; s++, k++) {
          ts.add(Tensor.wrap(stateShapes.get(k), values(k)));
        }
        out.put(layers.get(l), List.copyOf(ts));
      }
      return LayerStates.of(out);
    });
  }

  @Override
  public void resetRows(int... rows) {
    model.whileOpenForStream(() -> {
      TFloat32[] next = new TFloat32[stateShapes.size()];
      for (int k = 0; k < next.length; k++) {
        int width = stateShapes.get(k)[1];
        float[] values = values(k);
        for (int row : rows) {
          java.util.Arrays.fill(values, row * width, (row + 1) * width, 0f);
        }
        next[k] = TFloat32.tensorOf(GraphOps.shape(stateShapes.get(k)), DataBuffers.of(values, true, false));
      }
      tensors.replace(next, null);
      return null;
    });
  }

  /** A copy of the {@code k}-th current state's elements. */
  private float[] values(int k) {
    int[] shape = stateShapes.get(k);
    float[] values = new float[shape[0] * shape[1]];
    tensors.states[k].asRawTensor().data().asFloats().read(values);
    return values;
  }

  private TFloat32[] zeros() {
    TFloat32[] z = new TFloat32[stateShapes.size()];
    for (int k = 0; k < z.length; k++) {
      int[] shape = stateShapes.get(k);
      z[k] = TFloat32.tensorOf(GraphOps.shape(shape), DataBuffers.of(new float[shape[0] * shape[1]], true, false));
    }
    return z;
  }
}

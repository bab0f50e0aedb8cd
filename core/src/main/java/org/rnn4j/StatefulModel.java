package org.rnn4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;

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
 * <p>Which layers carry state: when the model has layers with {@code stateful=True}, exactly those
 * (as in Keras); when it has none, every recurrent layer (streaming). The batch size is fixed by
 * the first call until {@link #resetStates()}. Calls are serialized; the object is thread-safe.
 * With {@code go_backwards}, each call runs its own chunk backwards, as Keras' stateful layers do.
 */
public final class StatefulModel {
  private final PreparedModel model;
  private final Set<Integer> carried;
  private LayerStates states = LayerStates.empty();
  private int batch = -1;

  private StatefulModel(PreparedModel model) {
    this.model = Objects.requireNonNull(model);
    this.carried = carriedLayers(model.model().architecture());
  }

  /** Wraps a prepared model; the caller still owns (and closes) it. */
  public static StatefulModel of(PreparedModel model) {
    return new StatefulModel(model);
  }

  private static Set<Integer> carriedLayers(Sequential arch) {
    Set<Integer> stateful = new TreeSet<>();
    for (int i : arch.recurrentLayers()) {
      Layer l = arch.layer(i);
      if ((l instanceof RNN r && r.stateful()) || (l instanceof Bidirectional b && b.stateful())) {
        stateful.add(i);
      }
    }
    return stateful.isEmpty() ? new TreeSet<>(arch.recurrentLayers()) : stateful;
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
   * Runs one call starting from the carried states (initial states in {@code call} are not
   * allowed: the model supplies them), and keeps its final states.
   *
   * @throws InvalidInputException if the batch size differs from the first call's
   */
  public synchronized Result run(Call call) {
    if (call.initialState() != null || !call.initialStates().isEmpty()) {
      throw new InvalidInputException("a stateful model supplies its own initial states; use setStates() to set them");
    }
    int b = call.input().rank() == 0 ? 0 : call.input().dim(0);
    if (batch >= 0 && b != batch) {
      throw new InvalidInputException(
          "stateful model was called with batch size " + batch + ", got " + b + "; call resetStates() to change it");
    }
    Result r = model.run(call.withInitialStates(states));
    LayerStates next = LayerStates.empty();
    for (int layer : carried) {
      next = next.with(layer, r.finalStates().get(layer));
    }
    states = next;
    batch = b;
    return r;
  }

  /** Forgets every state: the next call starts from zeros, with any batch size. */
  public synchronized void resetStates() {
    states = LayerStates.empty();
    batch = -1;
  }

  /** Zeroes the states of the given batch rows only. */
  public synchronized void resetStates(int... rows) {
    if (states.isEmpty()) {
      return;
    }
    for (int row : rows) {
      if (row < 0 || row >= batch) {
        throw new IndexOutOfBoundsException("row " + row + " outside batch of " + batch);
      }
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
    return states;
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
    batch = carried.isEmpty() ? -1 : newStates.get(carried.iterator().next()).get(0).dim(0);
  }

  /** The prepared model this runs on. */
  public PreparedModel model() {
    return model;
  }
}

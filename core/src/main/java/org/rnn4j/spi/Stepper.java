package org.rnn4j.spi;

import java.util.List;
import org.rnn4j.InvalidInputException;
import org.rnn4j.LayerStates;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Architecture;

/**
 * A backend's in-place path for {@link org.rnn4j.StatefulModel#step}: one time step for a fixed
 * number of batch rows, read from and written to the caller's arrays, with the carried states kept
 * in the stepper's own arrays so that a step allocates nothing. Used by one {@code StatefulModel}
 * at a time, under its lock; sizes are checked by the caller.
 */
public interface Stepper {
  /** The batch rows this stepper was made for. */
  int batch();

  /**
   * Runs one step: {@code input} holds {@code (batch, features)} row-major; the model's output for
   * the step is written row-major to {@code output}.
   *
   * @throws IllegalStateException if the prepared model is closed
   */
  void step(float[] input, float[] output);

  /**
   * Loads the carried layers' states (shapes {@code (batch, size)}), or zeros for {@link
   * LayerStates#empty()}.
   *
   * @throws org.rnn4j.InvalidInputException if a state has the wrong shape
   */
  void load(LayerStates states);

  /** A copy of the carried layers' states. */
  LayerStates states();

  /** Zeroes the carried states of the given rows (already checked to be in range). */
  void resetRows(int... rows);

  /**
   * The states {@code states} holds for {@code layer}, checked as {@link #load} must check them:
   * as many as the layer has, each {@code (batch, size)} with the layer's state sizes in {@code arch}.
   *
   * @throws InvalidInputException naming the layer and the state that does not fit
   */
  static List<Tensor> checkedStates(LayerStates states, Architecture arch, int layer, int batch) {
    List<Integer> sizes = arch.stateSizes(layer);
    List<Tensor> given = states.get(layer);
    if (given == null || given.size() != sizes.size()) {
      throw new InvalidInputException("layer '" + arch.layerName(layer) + "' needs " + sizes.size() + " states, got "
          + (given == null ? "none" : given.size()));
    }
    for (int k = 0; k < given.size(); k++) {
      Tensor t = given.get(k);
      if (t.rank() != 2 || t.dim(0) != batch || t.dim(1) != sizes.get(k)) {
        throw new InvalidInputException("state " + k + " of layer '" + arch.layerName(layer) + "' has shape "
            + Shapes.format(t.shape()) + ", expected " + Shapes.format(batch, sizes.get(k)));
      }
    }
    return given;
  }
}

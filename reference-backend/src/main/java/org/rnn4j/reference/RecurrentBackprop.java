package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.RNN;

/**
 * Backpropagation through time over what {@link RecurrentLoop} recorded: the derivative of its
 * rules, step by step in reverse processing order. An output at a step is the carried h when the
 * step is valid or (without zero_output_for_mask) once a valid step has been seen, else zero; at
 * a masked step the states are carried, so their gradients pass to the previous step unchanged;
 * a valid step goes back through its cell ({@link CellBackprop}, which walks the steps). A stack's cells run in reverse
 * order, each handing the gradient of its input sequence to the cell below as that cell's output
 * gradient.
 */
final class RecurrentBackprop {
  private RecurrentBackprop() {}

  /**
   * @param input the input gradient {@code (batch, steps, features)} in input order
   * @param initial the gradient of each initial state, in Keras' flattened order
   */
  record Grads(float[] input, List<float[]> initial) {}

  /**
   * @param dSequence the gradient of the returned sequence {@code (batch, steps, units)}, or null
   * @param dLast the gradient of the last output {@code (batch, units)}, or null
   * @param dFinals the gradient of each final state in flattened order (null where none)
   */
  static Grads run(RNN layer, List<CellBackprop> cells, List<Integer> units, RecurrentLoop.Recording rec, float[] dSequence,
      float[] dLast, List<float[]> dFinals) {
    int batch = rec.batch;
    int steps = rec.steps;
    int last = cells.size() - 1;
    // the steps the layer's outputs send a gradient to: all, the last (only the last output's), or none
    int from = dSequence != null ? 0 : dLast != null ? steps - 1 : steps;
    float[] dHidden = outputGradient(layer, rec, units.get(last), dSequence, dLast, from);
    List<float[]> initial = new ArrayList<>();
    int stateIndex = dFinals.size();
    for (int k = last; k >= 0; k--) {
      boolean lstm = rec.cells.get(k) != null;
      stateIndex -= lstm ? 2 : 1;
      int size = batch * units.get(k);
      float[] dh = copyOrZeros(dFinals.get(stateIndex), size);
      float[] dc = lstm ? copyOrZeros(dFinals.get(stateIndex + 1), size) : null;
      dHidden = cells.get(k).run(rec, k, dHidden, from, dh, dc);
      from = 0; // a cell below gets its input sequence's gradient at every step
      if (lstm) {
        initial.add(0, dc);
      }
      initial.add(0, dh);
    }
    return new Grads(inputOrder(dHidden, batch, steps, cells.get(0).inputWidth(), layer.goBackwards()), initial);
  }

  private static float[] copyOrZeros(float[] values, int size) {
    return values == null ? new float[size] : java.util.Arrays.copyOf(values, size);
  }

  /**
   * The gradient reaching each step's carried h of the last cell through the layer's outputs,
   * time-major for steps from {@code from} (which no gradient reaches before).
   */
  private static float[] outputGradient(RNN layer, RecurrentLoop.Recording rec, int u, float[] dSequence, float[] dLast, int from) {
    int batch = rec.batch;
    int steps = rec.steps;
    float[] d = new float[(steps - from) * batch * u];
    for (int b = 0; b < batch; b++) {
      boolean seen = false;
      for (int t = 0; t < steps; t++) {
        boolean ok = rec.valid == null || rec.valid[t * batch + b];
        seen |= ok;
        if (t < from || !(ok || (seen && !layer.zeroOutputForMask()))) {
          continue; // no gradient, or the output was zeros
        }
        int at = ((t - from) * batch + b) * u;
        for (int j = 0; j < u; j++) {
          float g = dSequence == null ? 0 : dSequence[(b * steps + t) * u + j];
          if (t == steps - 1 && dLast != null) {
            g += dLast[b * u + j];
          }
          d[at + j] = g;
        }
      }
    }
    return d;
  }

  /** A time-major gradient in processing order, back to {@code (batch, steps, features)} in input order. */
  private static float[] inputOrder(float[] timeMajor, int batch, int steps, int f, boolean backwards) {
    float[] out = new float[batch * steps * f];
    for (int t = 0; t < steps; t++) {
      int ti = backwards ? steps - 1 - t : t;
      for (int b = 0; b < batch; b++) {
        System.arraycopy(timeMajor, (t * batch + b) * f, out, (b * steps + ti) * f, f);
      }
    }
    return out;
  }
}

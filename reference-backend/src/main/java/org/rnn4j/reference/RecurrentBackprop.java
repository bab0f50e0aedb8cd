package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.RNN;

/**
 * Backpropagation through time over what {@link RecurrentLoop} recorded: the derivative of its
 * rules, step by step in reverse processing order. An output at a step is the carried h when the
 * step is valid or (without zero_output_for_mask) once a valid step has been seen, else zero; at
 * a masked step the states are carried, so their gradients pass to the previous step unchanged;
 * a valid step goes back through its cell ({@link CellBackprop}). A stack's cells run in reverse
 * order, each handing the gradient of its input sequence to the cell below as that cell's output
 * gradient.
 */
final class RecurrentBackprop {
  private RecurrentBackprop() {}

  /**
   * @param input the input gradient {@code (batch, steps, features)} in input order
   * @param initial the gradient of each initial state, in Keras' flattened order
   */
  record Grads(double[] input, List<double[]> initial) {}

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
    double[] dHidden = outputGradient(layer, rec, units.get(last), dSequence, dLast);
    List<double[]> initial = new ArrayList<>();
    int stateIndex = dFinals.size();
    for (int k = last; k >= 0; k--) {
      int u = units.get(k);
      boolean lstm = rec.cells.get(k) != null;
      int in = rec.inputs.get(k).length / (steps * batch);
      stateIndex -= lstm ? 2 : 1;
      double[][] dh = rows(batch, u, dFinals.get(stateIndex));
      double[][] dc = lstm ? rows(batch, u, dFinals.get(stateIndex + 1)) : null;
      double[] dInput = new double[steps * batch * in];
      float[] x = rec.inputs.get(k);
      float[] hs = rec.hidden.get(k);
      float[] cs = rec.cells.get(k);
      CellBackprop cell = cells.get(k);
      for (int t = steps - 1; t >= 0; t--) {
        for (int b = 0; b < batch; b++) {
          int at = (t * batch + b) * u;
          for (int j = 0; j < u; j++) {
            dh[b][j] += dHidden[at + j];
          }
          if (rec.valid != null && !rec.valid[t * batch + b]) {
            continue; // the states were carried: their gradients pass on unchanged
          }
          boolean first = t == 0;
          float[] hPrev = first ? rec.initialH.get(k) : hs;
          float[] cPrev = first ? rec.initialC.get(k) : cs;
          int sOff = first ? b * u : ((t - 1) * batch + b) * u;
          cell.step(x, (t * batch + b) * in, hPrev, cPrev, sOff, dh[b], lstm ? dc[b] : null, dInput, (t * batch + b) * in);
        }
      }
      List<double[]> own = new ArrayList<>();
      own.add(flat(dh));
      if (lstm) {
        own.add(flat(dc));
      }
      initial.addAll(0, own);
      dHidden = dInput;
    }
    return new Grads(inputOrder(dHidden, batch, steps, layer.goBackwards()), initial);
  }

  /** The gradient reaching each step's carried h of the last cell through the layer's outputs. */
  private static double[] outputGradient(RNN layer, RecurrentLoop.Recording rec, int u, float[] dSequence, float[] dLast) {
    int batch = rec.batch;
    int steps = rec.steps;
    double[] d = new double[steps * batch * u];
    for (int b = 0; b < batch; b++) {
      boolean seen = false;
      for (int t = 0; t < steps; t++) {
        boolean ok = rec.valid == null || rec.valid[t * batch + b];
        seen |= ok;
        if (!(ok || (seen && !layer.zeroOutputForMask()))) {
          continue; // the output was zeros
        }
        int at = (t * batch + b) * u;
        for (int j = 0; j < u; j++) {
          double g = dSequence == null ? 0 : dSequence[(b * steps + t) * u + j];
          if (t == steps - 1 && dLast != null) {
            g += dLast[b * u + j];
          }
          d[at + j] = g;
        }
      }
    }
    return d;
  }

  private static double[][] rows(int batch, int u, float[] init) {
    double[][] r = new double[batch][u];
    if (init != null) {
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < u; j++) {
          r[b][j] = init[b * u + j];
        }
      }
    }
    return r;
  }

  private static double[] flat(double[][] rows) {
    int u = rows.length == 0 ? 0 : rows[0].length;
    double[] out = new double[rows.length * u];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, out, b * u, u);
    }
    return out;
  }

  /** A time-major gradient in processing order, back to {@code (batch, steps, features)} in input order. */
  private static double[] inputOrder(double[] timeMajor, int batch, int steps, boolean backwards) {
    int f = timeMajor.length / (batch * steps);
    double[] out = new double[timeMajor.length];
    for (int t = 0; t < steps; t++) {
      int ti = backwards ? steps - 1 - t : t;
      for (int b = 0; b < batch; b++) {
        System.arraycopy(timeMajor, (t * batch + b) * f, out, (b * steps + ti) * f, f);
      }
    }
    return out;
  }
}

package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.RNN;
import org.rnn4j.spi.RecurrentOutput;

/**
 * Keras' RNN loop for any cell (or stack of cells), one batch row and one step at a time:
 * steps run in input order, or last to first with go_backwards (the mask reversed with them); at
 * a masked step every state is carried and the output is the previous output (zeros before the
 * first valid step), or zeros with zero_output_for_mask; the returned sequence is in processing
 * order and the last output is its last element.
 */
final class RecurrentLoop {
  private RecurrentLoop() {}

  static RecurrentOutput<Buf> run(RNN layer, List<CellStep> cells, Buf input, Buf mask, List<Buf> initial, boolean wantSequence) {
    int batch = input.dim(0);
    int steps = input.dim(1);
    int features = input.dim(2);
    int units = cells.get(cells.size() - 1).units();
    // states[k][s]: state s of cell k, (batch, size) row-major
    float[][][] states = new float[cells.size()][][];
    int flat = 0;
    for (int k = 0; k < cells.size(); k++) {
      int[] sizes = cells.get(k).stateSizes();
      states[k] = new float[sizes.length][];
      for (int s = 0; s < sizes.length; s++) {
        states[k][s] = initial == null ? new float[batch * sizes[s]] : initial.get(flat).data.clone();
        flat++;
      }
    }
    float[] sequence = wantSequence ? new float[batch * steps * units] : null;
    float[] previous = new float[batch * units];
    for (int b = 0; b < batch; b++) {
      float[][][] row = rowStates(cells, states, b);
      float[][][] next = rowStates(cells, null, b);
      for (int t = 0; t < steps; t++) {
        int ti = layer.goBackwards() ? steps - 1 - t : t;
        boolean valid = mask == null || mask.data[b * steps + ti] != 0f;
        if (valid) {
          float[] x = input.data;
          int xOff = (b * steps + ti) * features;
          for (int k = 0; k < cells.size(); k++) {
            cells.get(k).step(x, xOff, row[k], next[k]);
            x = next[k][0];
            xOff = 0;
          }
          float[][][] swap = row;
          row = next;
          next = swap;
          System.arraycopy(row[cells.size() - 1][0], 0, previous, b * units, units);
        } else if (layer.zeroOutputForMask()) {
          java.util.Arrays.fill(previous, b * units, (b + 1) * units, 0f);
        }
        if (sequence != null) {
          System.arraycopy(previous, b * units, sequence, (b * steps + t) * units, units);
        }
      }
      storeRowStates(cells, states, row, b);
    }
    List<Buf> finals = new ArrayList<>();
    for (int k = 0; k < cells.size(); k++) {
      int[] sizes = cells.get(k).stateSizes();
      for (int s = 0; s < sizes.length; s++) {
        finals.add(new Buf(new int[] {batch, sizes[s]}, states[k][s]));
      }
    }
    Buf seq = sequence == null ? null : new Buf(new int[] {batch, steps, units}, sequence);
    return new RecurrentOutput<>(seq, new Buf(new int[] {batch, units}, previous), finals);
  }

  /** Per-row copies of the states of batch row b (or fresh zero rows when from is null). */
  private static float[][][] rowStates(List<CellStep> cells, float[][][] from, int b) {
    float[][][] row = new float[cells.size()][][];
    for (int k = 0; k < cells.size(); k++) {
      int[] sizes = cells.get(k).stateSizes();
      row[k] = new float[sizes.length][];
      for (int s = 0; s < sizes.length; s++) {
        row[k][s] = new float[sizes[s]];
        if (from != null) {
          System.arraycopy(from[k][s], b * sizes[s], row[k][s], 0, sizes[s]);
        }
      }
    }
    return row;
  }

  private static void storeRowStates(List<CellStep> cells, float[][][] states, float[][][] row, int b) {
    for (int k = 0; k < cells.size(); k++) {
      int[] sizes = cells.get(k).stateSizes();
      for (int s = 0; s < sizes.length; s++) {
        System.arraycopy(row[k][s], 0, states[k][s], b * sizes[s], sizes[s]);
      }
    }
  }
}

package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.SingleCell;

/**
 * One cell's weights packed for the fast kernels, converted once when a model is first run: the
 * kernel and recurrent kernel as {@link Packed} panels with gate blocks padded to the panel width,
 * biases in the same column order.
 */
final class FastCell {
  enum Kind {
    LSTM,
    GRU_RESET_AFTER,
    GRU_RESET_BEFORE,
    SIMPLE
  }

  final Kind kind;
  final int in;
  final int units;
  final int gates;
  /** Packed width of a row of gate pre-activations: {@code gates · paddedUnits}. */
  final int width;
  final int paddedUnits;
  final Packed kernel;
  /** LSTM, GRU (reset_after), SimpleRNN: all gates. GRU (reset_before): the z and r gates. */
  final Packed recurrent;
  /** GRU (reset_before) only: the candidate's recurrent kernel. */
  final Packed recurrentCandidate;
  final float[] inputBias;
  /** GRU (reset_after) only: the recurrent bias row. */
  final float[] recurrentBias;
  final Activation activation;
  final Activation recurrentActivation;

  private FastCell(Kind kind, int in, int units, int gates, Packed kernel, Packed recurrent, Packed recurrentCandidate,
      float[] inputBias, float[] recurrentBias, Activation activation, Activation recurrentActivation) {
    this.kind = kind;
    this.in = in;
    this.units = units;
    this.gates = gates;
    this.kernel = kernel;
    this.paddedUnits = kernel.paddedUnits;
    this.width = kernel.cols;
    this.recurrent = recurrent;
    this.recurrentCandidate = recurrentCandidate;
    this.inputBias = inputBias;
    this.recurrentBias = recurrentBias;
    this.activation = activation;
    this.recurrentActivation = recurrentActivation;
  }

  static FastCell of(SingleCell cell, int in, List<Tensor> w) {
    int u = cell.units();
    int g = cell.gateCount();
    float[] kernel = w.get(0).toArray();
    float[] recurrent = w.get(1).toArray();
    float[] bias = cell.useBias() ? w.get(2).toArray() : null;
    Packed k = Packed.of(kernel, in, g, u);
    if (cell instanceof LSTMCell lstm) {
      return new FastCell(Kind.LSTM, in, u, g, k, Packed.of(recurrent, u, g, u), null, Packed.bias(bias, 0, g, u), null,
          lstm.activation(), lstm.recurrentActivation());
    }
    if (cell instanceof GRUCell gru) {
      if (gru.resetAfter()) {
        return new FastCell(Kind.GRU_RESET_AFTER, in, u, g, k, Packed.of(recurrent, u, g, u), null,
            Packed.bias(bias, 0, g, u), Packed.bias(bias, 3 * u, g, u), gru.activation(), gru.recurrentActivation());
      }
      float[] zr = new float[u * 2 * u];
      float[] h = new float[u * u];
      for (int row = 0; row < u; row++) {
        System.arraycopy(recurrent, row * 3 * u, zr, row * 2 * u, 2 * u);
        System.arraycopy(recurrent, row * 3 * u + 2 * u, h, row * u, u);
      }
      return new FastCell(Kind.GRU_RESET_BEFORE, in, u, g, k, Packed.of(zr, u, 2, u), Packed.of(h, u, 1, u),
          Packed.bias(bias, 0, g, u), null, gru.activation(), gru.recurrentActivation());
    }
    return new FastCell(Kind.SIMPLE, in, u, 1, k, Packed.of(recurrent, u, 1, u), null, Packed.bias(bias, 0, 1, u), null,
        cell.activation(), null);
  }

  /** The number of states (LSTM h, c; others h). */
  int stateCount() {
    return kind == Kind.LSTM ? 2 : 1;
  }

  /** Multiply-adds of one step for one batch row, to decide on threads. */
  long stepWork() {
    return (long) width * (in + units);
  }
}

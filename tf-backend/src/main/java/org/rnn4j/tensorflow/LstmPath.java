package org.rnn4j.tensorflow;

import org.rnn4j.layers.Activation;
import org.rnn4j.layers.LSTMCell;

/**
 * How the TensorFlow backend computes an LSTM: TensorFlow's fused {@code BlockLSTMV2} op, or a
 * composite graph of primitive ops. {@link #AUTO} takes the fused op wherever it computes Keras'
 * LSTM exactly (sigmoid recurrent activation, tanh activation, no mask on the layer).
 */
enum LstmPath {
  AUTO,
  FUSED,
  COMPOSITE;

  /** Whether the fused op computes this cell: it hard-wires sigmoid gates and tanh. */
  static boolean fusedComputes(LSTMCell cell) {
    return cell.recurrentActivation() == Activation.SIGMOID && cell.activation() == Activation.TANH;
  }
}

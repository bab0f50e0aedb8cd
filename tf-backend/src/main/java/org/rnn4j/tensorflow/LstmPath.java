package org.rnn4j.tensorflow;

import org.rnn4j.layers.Activation;
import org.rnn4j.layers.LSTMCell;

/**
 * How the TensorFlow backend computes an LSTM: TensorFlow's fused {@code BlockLSTMV2} op, or a
 * composite graph of primitive ops. {@link #AUTO} takes the fused op wherever it computes Keras'
 * LSTM exactly (sigmoid recurrent activation, tanh activation, no mask on the layer) and is the
 * faster of the two (see {@link #autoFuses}).
 */
enum LstmPath {
  AUTO,
  FUSED,
  COMPOSITE;

  /**
   * Below this many multiply-adds per step ({@code batch · 4u · (in + u)}), TensorFlow's cost per
   * op outweighs what threads can share, and the fused op (one op for all steps) is the faster.
   */
  static final long PARALLEL_MIN_STEP_MACS = 1L << 20;

  /**
   * Whether {@link #AUTO} takes the fused op for a layer the fused op computes. The fused op
   * multiplies {@code [x_t, h]} by the joined kernel step by step; the composite graph multiplies
   * every step's input by the kernel in one product first, which TensorFlow shares well between
   * threads, and only {@code h·U} per step. With one intra-op thread the fused op is as fast or
   * faster; with more, the composite wins once a sequence has more than one step and the steps are
   * large enough to share ({@link #PARALLEL_MIN_STEP_MACS}): W3 and W4 on two threads ran 10–30%
   * faster composite, small models and one-step calls 1.2–2× slower.
   *
   * @param intraOpThreads the session's intra-op threads (0: TensorFlow's default, one per processor)
   */
  static boolean autoFuses(int intraOpThreads, int steps, int batch, int inputs, int units) {
    int threads = intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    long stepMacs = (long) batch * 4 * units * (inputs + units);
    return threads == 1 || steps == 1 || stepMacs < PARALLEL_MIN_STEP_MACS;
  }

  /** Whether the fused op computes this cell: it hard-wires sigmoid gates and tanh. */
  static boolean fusedComputes(LSTMCell cell) {
    return cell.recurrentActivation() == Activation.SIGMOID && cell.activation() == Activation.TANH;
  }
}

package org.rnn4j.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.SimpleRNNCell;
import org.rnn4j.layers.SingleCell;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * One cell run over a whole time-major sequence {@code (T, B, in)}, as graph ops. The input
 * projection {@code x·W + b} of every step is one matrix product before the recurrence; per step
 * only {@code h·U} and the gate math remain. At a masked step the states are carried with select
 * ops. Returns the carried h of every step {@code (T, B, u)} and the final states.
 */
final class CellGraphs {
  private CellGraphs() {}

  record Sequence(Operand<TFloat32> hidden, List<Operand<TFloat32>> finalStates) {}

  /** A time-major sequence {@code (steps, batch, features)} as a graph operand. */
  record TimeMajor(Operand<TFloat32> values, int steps, int batch, int features) {}

  /**
   * The cell's weights as graph operands in Keras layout; the biases null without use_bias, the
   * recurrent bias null unless the cell {@linkplain SingleCell#hasRecurrentBias() has one}.
   */
  record CellWeights(
      Operand<TFloat32> kernel, Operand<TFloat32> recurrent, Operand<TFloat32> inputBias, Operand<TFloat32> recurrentBias) {

    /** Splits a bias with a recurrent row into its two rows, as the cell's Keras layout says. */
    static CellWeights of(GraphOps g, SingleCell cell, Operand<TFloat32> kernel, Operand<TFloat32> recurrent,
        Operand<TFloat32> bias) {
      if (bias == null || !cell.hasRecurrentBias()) {
        return new CellWeights(kernel, recurrent, bias, null);
      }
      return new CellWeights(kernel, recurrent, g.at(bias, 0), g.at(bias, 1));
    }
  }

  static Sequence composite(GraphOps g, SingleCell cell, CellWeights w, TimeMajor seq, List<Operand<TBool>> masks,
      List<Operand<TFloat32>> init) {
    int steps = seq.steps();
    int batch = seq.batch();
    int width = cell.gateCount() * cell.units();
    Operand<TFloat32> projected = g.matMul(g.reshape(seq.values(), steps * batch, seq.features()), w.kernel());
    if (w.inputBias() != null) {
      projected = g.tf.nn.biasAdd(projected, w.inputBias());
    }
    List<Operand<TFloat32>> xw = g.unstack(g.reshape(projected, steps, batch, width), steps);
    List<Operand<TFloat32>> states = new ArrayList<>(init);
    List<Operand<TFloat32>> hidden = new ArrayList<>();
    Step step = step(g, cell, w);
    for (int t = 0; t < steps; t++) {
      List<Operand<TFloat32>> next = step.apply(xw.get(t), states);
      if (masks != null) {
        for (int s = 0; s < next.size(); s++) {
          next.set(s, g.tf.select(masks.get(t), next.get(s), states.get(s)));
        }
      }
      states = next;
      hidden.add(states.get(0));
    }
    return new Sequence(g.tf.stack(hidden), states);
  }

  /** The per-step equations: new states from this step's input projection and the states. */
  private interface Step {
    List<Operand<TFloat32>> apply(Operand<TFloat32> xw, List<Operand<TFloat32>> states);
  }

  private static Step step(GraphOps g, SingleCell cell, CellWeights w) {
    int u = cell.units();
    if (cell instanceof LSTMCell lstm) {
      Operand<TFloat32> recurrent = w.recurrent();
      return (xw, s) -> {
        List<Operand<TFloat32>> z = g.splitColumns(g.add(xw, g.matMul(s.get(0), recurrent)), 4);
        Operand<TFloat32> i = TfActivations.apply(g, lstm.recurrentActivation(), z.get(0));
        Operand<TFloat32> f = TfActivations.apply(g, lstm.recurrentActivation(), z.get(1));
        Operand<TFloat32> c = TfActivations.apply(g, lstm.activation(), z.get(2));
        Operand<TFloat32> o = TfActivations.apply(g, lstm.recurrentActivation(), z.get(3));
        Operand<TFloat32> cNew = g.add(g.mul(f, s.get(1)), g.mul(i, c));
        Operand<TFloat32> hNew = g.mul(o, TfActivations.apply(g, lstm.activation(), cNew));
        return new ArrayList<>(List.of(hNew, cNew));
      };
    }
    if (cell instanceof GRUCell gru) {
      if (gru.resetAfter()) {
        Operand<TFloat32> recurrent = w.recurrent();
        Operand<TFloat32> recurrentBias = w.recurrentBias();
        return (xw, s) -> {
          Operand<TFloat32> h = s.get(0);
          Operand<TFloat32> hu = g.matMul(h, recurrent);
          if (recurrentBias != null) {
            hu = g.tf.nn.biasAdd(hu, recurrentBias);
          }
          List<Operand<TFloat32>> x = g.splitColumns(xw, 3);
          List<Operand<TFloat32>> r = g.splitColumns(hu, 3);
          Operand<TFloat32> zg = TfActivations.apply(g, gru.recurrentActivation(), g.add(x.get(0), r.get(0)));
          Operand<TFloat32> rg = TfActivations.apply(g, gru.recurrentActivation(), g.add(x.get(1), r.get(1)));
          Operand<TFloat32> hh = TfActivations.apply(g, gru.activation(), g.add(x.get(2), g.mul(rg, r.get(2))));
          return new ArrayList<>(List.of(g.add(g.mul(zg, h), g.mul(g.oneMinus(zg), hh))));
        };
      }
      // the z and r columns of U act on h, the candidate's on r∘h
      Operand<TFloat32> recurrentZr = g.tf.slice(w.recurrent(), g.ints(0, 0), g.ints(u, 2 * u));
      Operand<TFloat32> recurrentH = g.tf.slice(w.recurrent(), g.ints(0, 2 * u), g.ints(u, u));
      return (xw, s) -> {
        Operand<TFloat32> h = s.get(0);
        List<Operand<TFloat32>> x = g.splitColumns(xw, 3);
        List<Operand<TFloat32>> r = g.splitColumns(g.matMul(h, recurrentZr), 2);
        Operand<TFloat32> zg = TfActivations.apply(g, gru.recurrentActivation(), g.add(x.get(0), r.get(0)));
        Operand<TFloat32> rg = TfActivations.apply(g, gru.recurrentActivation(), g.add(x.get(1), r.get(1)));
        Operand<TFloat32> hh = TfActivations.apply(g, gru.activation(), g.add(x.get(2), g.matMul(g.mul(rg, h), recurrentH)));
        return new ArrayList<>(List.of(g.add(g.mul(zg, h), g.mul(g.oneMinus(zg), hh))));
      };
    }
    SimpleRNNCell simple = (SimpleRNNCell) cell;
    Operand<TFloat32> recurrent = w.recurrent();
    return (xw, s) ->
        new ArrayList<>(List.of(TfActivations.apply(g, simple.activation(), g.add(xw, g.matMul(s.get(0), recurrent)))));
  }

  /**
   * An LSTM cell through TensorFlow's fused {@code BlockLSTMV2}: time-major input, weight {@code
   * [kernel; recurrent_kernel]} of shape {@code (in + u, 4u)} in Keras' gate order i, f, c, o, no
   * forget bias, no cell clipping, zero peepholes (disabled).
   */
  static Sequence fusedLstm(GraphOps g, LSTMCell cell, CellWeights w, TimeMajor seq, List<Operand<TFloat32>> init) {
    int u = cell.units();
    int steps = seq.steps();
    Operand<TFloat32> stacked = g.tf.concat(List.of(w.kernel(), w.recurrent()), g.tf.constant(0));
    Operand<TFloat32> bias = w.inputBias() == null ? g.zeros(4 * u) : w.inputBias();
    Operand<TFloat32> noPeephole = g.zeros(u);
    BlockLSTM<TFloat32> block =
        g.tf.nn.blockLSTM(
            g.tf.constant((long) steps), seq.values(), init.get(1), init.get(0), stacked,
            noPeephole, noPeephole, noPeephole, bias, BlockLSTM.cellClip(0f), BlockLSTM.usePeephole(false));
    return new Sequence(block.h(), List.of(g.at(block.h(), steps - 1), g.at(block.cs(), steps - 1)));
  }
}

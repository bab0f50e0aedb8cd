package org.rnn4j.reference;

import org.rnn4j.layers.Activation;
import org.rnn4j.layers.LSTMCell;

/**
 * The LSTM equations (gate blocks i, f, c, o):
 *
 * <pre>
 * z = x·W + h·U + b;  i = σ(z_i)  f = σ(z_f)  g = φ(z_c)  o = σ(z_o)
 * c' = f∘c + i∘g;     h' = o∘φ(c')
 * </pre>
 */
final class LstmStep implements CellStep {
  private final int in;
  private final int u;
  private final float[] kernel;
  private final float[] recurrent;
  private final float[] bias;
  private final Activation act;
  private final Activation rec;

  LstmStep(LSTMCell cell, int inputSize, float[] kernel, float[] recurrent, float[] bias) {
    this.in = inputSize;
    this.u = cell.units();
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.bias = bias;
    this.act = cell.activation();
    this.rec = cell.recurrentActivation();
  }

  @Override
  public int inputSize() {
    return in;
  }

  @Override
  public int units() {
    return u;
  }

  @Override
  public int[] stateSizes() {
    return new int[] {u, u};
  }

  @Override
  public void step(float[] x, int xOff, float[][] states, float[][] next) {
    float[] h = states[0];
    float[] c = states[1];
    double[] z = new double[4 * u];
    MatVec.init(z, bias, 0, 4 * u);
    MatVec.accumulate(z, x, xOff, in, kernel, 4 * u, 0, 4 * u);
    MatVec.accumulate(z, h, 0, u, recurrent, 4 * u, 0, 4 * u);
    // activations act on each gate's row (softmax and its kind need the whole row)
    float[] gates = new float[4 * u];
    for (int j = 0; j < 4 * u; j++) {
      gates[j] = (float) z[j];
    }
    rec.applyRow(gates, 0, u, gates, 0);
    rec.applyRow(gates, u, u, gates, u);
    act.applyRow(gates, 2 * u, u, gates, 2 * u);
    rec.applyRow(gates, 3 * u, u, gates, 3 * u);
    float[] squashed = new float[u];
    for (int j = 0; j < u; j++) {
      float cNew = gates[u + j] * c[j] + gates[j] * gates[2 * u + j];
      next[1][j] = cNew;
      squashed[j] = cNew;
    }
    act.applyRow(squashed, 0, u, squashed, 0);
    for (int j = 0; j < u; j++) {
      next[0][j] = gates[3 * u + j] * squashed[j];
    }
  }
}

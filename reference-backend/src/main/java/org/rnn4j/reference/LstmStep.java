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
    for (int j = 0; j < u; j++) {
      float i = rec.apply((float) z[j]);
      float f = rec.apply((float) z[u + j]);
      float g = act.apply((float) z[2 * u + j]);
      float o = rec.apply((float) z[3 * u + j]);
      float cNew = f * c[j] + i * g;
      next[1][j] = cNew;
      next[0][j] = o * act.apply(cNew);
    }
  }
}

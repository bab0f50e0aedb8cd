package org.rnn4j.reference;

import org.rnn4j.layers.Activation;
import org.rnn4j.layers.SimpleRNNCell;

/** The SimpleRNN equation: {@code h' = φ(x·W + b + h·U)}. */
final class SimpleRnnStep implements CellStep {
  private final int in;
  private final int u;
  private final float[] kernel;
  private final float[] recurrent;
  private final float[] bias;
  private final Activation act;

  SimpleRnnStep(SimpleRNNCell cell, int inputSize, float[] kernel, float[] recurrent, float[] bias) {
    this.in = inputSize;
    this.u = cell.units();
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.bias = bias;
    this.act = cell.activation();
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
    return new int[] {u};
  }

  @Override
  public void step(float[] x, int xOff, float[][] states, float[][] next) {
    double[] a = new double[u];
    MatVec.init(a, bias, 0, u);
    MatVec.accumulate(a, x, xOff, in, kernel, u, 0, u);
    MatVec.accumulate(a, states[0], 0, u, recurrent, u, 0, u);
    for (int j = 0; j < u; j++) {
      next[0][j] = (float) a[j];
    }
    act.applyRow(next[0], 0, u, next[0], 0);
  }
}

package org.rnn4j.reference;

import org.rnn4j.layers.Activation;
import org.rnn4j.layers.GRUCell;

/**
 * The GRU equations (gate blocks z, r, h). With reset_after (bias rows b0 for the input, b1 for
 * the recurrent projection):
 *
 * <pre>
 * a = x·W + b0;  q = h·U + b1
 * z = σ(a_z + q_z);  r = σ(a_r + q_r);  hh = φ(a_h + r∘q_h);  h' = z∘h + (1−z)∘hh
 * </pre>
 *
 * Without reset_after the reset gate multiplies h before the recurrent product: {@code hh =
 * φ(x·W_h + b_h + (r∘h)·U_h)}.
 */
final class GruStep implements CellStep {
  private final int in;
  private final int u;
  private final float[] kernel;
  private final float[] recurrent;
  private final float[] inputBias;
  private final float[] recurrentBias;
  private final boolean resetAfter;
  private final Activation act;
  private final Activation rec;

  GruStep(GRUCell cell, int inputSize, float[] kernel, float[] recurrent, float[] bias) {
    this.in = inputSize;
    this.u = cell.units();
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.resetAfter = cell.resetAfter();
    this.inputBias = cell.inputBias(bias);
    this.recurrentBias = cell.recurrentBias(bias);
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
    return new int[] {u};
  }

  @Override
  public void step(float[] x, int xOff, float[][] states, float[][] next) {
    float[] h = states[0];
    double[] a = new double[3 * u];
    MatVec.init(a, inputBias, 0, 3 * u);
    MatVec.accumulate(a, x, xOff, in, kernel, 3 * u, 0, 3 * u);
    double[] q = new double[3 * u];
    // activations act on each gate's row (softmax and its kind need the whole row)
    float[] z = new float[u];
    float[] r = new float[u];
    float[] hh = new float[u];
    if (resetAfter) {
      MatVec.init(q, recurrentBias, 0, 3 * u);
      MatVec.accumulate(q, h, 0, u, recurrent, 3 * u, 0, 3 * u);
      gates(a, q, z, r);
      for (int j = 0; j < u; j++) {
        hh[j] = (float) (a[2 * u + j] + r[j] * q[2 * u + j]);
      }
    } else {
      MatVec.accumulate(q, h, 0, u, recurrent, 3 * u, 0, 2 * u);
      gates(a, q, z, r);
      float[] rh = new float[u];
      for (int j = 0; j < u; j++) {
        rh[j] = r[j] * h[j];
      }
      double[] qh = new double[u];
      MatVec.accumulate(qh, rh, 0, u, recurrent, 3 * u, 2 * u, u);
      for (int j = 0; j < u; j++) {
        hh[j] = (float) (a[2 * u + j] + qh[j]);
      }
    }
    act.applyRow(hh, 0, u, hh, 0);
    for (int j = 0; j < u; j++) {
      next[0][j] = z[j] * h[j] + (1f - z[j]) * hh[j];
    }
  }

  /** The update and reset gates from the input and recurrent products. */
  private void gates(double[] a, double[] q, float[] z, float[] r) {
    for (int j = 0; j < u; j++) {
      z[j] = (float) (a[j] + q[j]);
      r[j] = (float) (a[u + j] + q[u + j]);
    }
    rec.applyRow(z, 0, u, z, 0);
    rec.applyRow(r, 0, u, r, 0);
  }
}

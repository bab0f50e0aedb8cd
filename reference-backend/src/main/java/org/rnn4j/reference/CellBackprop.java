package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.SingleCell;

/**
 * The backward pass of one cell's step for one batch row, and the gradients of the cell's
 * weights (Keras layout: kernel {@code (in, G·u)}, recurrent kernel {@code (u, G·u)}, bias)
 * accumulated over every step it is given. The step's gates are recomputed from its input and
 * previous states (as the forward computed them: pre-activations rounded to float32, activations
 * along each gate's row) and differentiated in double.
 */
final class CellBackprop {
  private enum Kind {
    LSTM,
    GRU_RESET_AFTER,
    GRU_RESET_BEFORE,
    SIMPLE
  }

  private final Kind kind;
  private final int in;
  private final int u;
  private final int width;
  private final float[] kernel;
  private final float[] recurrent;
  /** The bias added to the input projection (all of it but GRU reset_after's second row), or null. */
  private final float[] inputBias;
  /** GRU reset_after only: the recurrent projection's bias, or null. */
  private final float[] recurrentBias;
  private final boolean useBias;
  private final Activation act;
  private final Activation rec;

  final double[] dKernel;
  final double[] dRecurrent;
  /** In the bias's Keras layout (GRU reset_after: input row, then recurrent row), or null. */
  final double[] dBias;

  // per-step scratch
  private final float[] pre;
  private final float[] gates;
  private final float[] aux;
  private final double[] dGates;
  private final double[] dPre;
  private final double[] dAux;

  CellBackprop(SingleCell cell, int inputSize, List<Tensor> w) {
    this.in = inputSize;
    this.u = cell.units();
    this.width = cell.gateCount() * u;
    this.kernel = w.get(0).toArray();
    this.recurrent = w.get(1).toArray();
    this.useBias = cell.useBias();
    float[] bias = useBias ? w.get(2).toArray() : null;
    this.act = cell.activation();
    if (cell instanceof LSTMCell lstm) {
      kind = Kind.LSTM;
      rec = lstm.recurrentActivation();
    } else if (cell instanceof GRUCell gru) {
      kind = gru.resetAfter() ? Kind.GRU_RESET_AFTER : Kind.GRU_RESET_BEFORE;
      rec = gru.recurrentActivation();
    } else {
      kind = Kind.SIMPLE;
      rec = null;
    }
    this.inputBias = cell.inputBias(bias);
    this.recurrentBias = cell.recurrentBias(bias);
    this.dKernel = new double[kernel.length];
    this.dRecurrent = new double[recurrent.length];
    this.dBias = bias == null ? null : new double[bias.length];
    this.pre = new float[2 * width];
    this.gates = new float[width];
    this.aux = new float[2 * u];
    this.dGates = new double[width];
    this.dPre = new double[2 * width];
    this.dAux = new double[u];
  }

  /**
   * One valid step backward for one row.
   *
   * @param x the step's input ({@code in} values from {@code xOff})
   * @param h the previous h ({@code u} values from {@code sOff}); {@code c} likewise (LSTM)
   * @param dh in: the gradient of the step's new h; out: that of the previous h
   * @param dc in/out likewise for c (LSTM), else unused
   * @param dx out: the gradient of the step's input (added to)
   */
  void step(float[] x, int xOff, float[] h, float[] c, int sOff, double[] dh, double[] dc, double[] dx, int dxOff) {
    switch (kind) {
      case LSTM -> lstm(x, xOff, h, c, sOff, dh, dc);
      case GRU_RESET_AFTER -> gruAfter(x, xOff, h, sOff, dh);
      case GRU_RESET_BEFORE -> gruBefore(x, xOff, h, sOff, dh);
      case SIMPLE -> simple(x, xOff, h, sOff, dh);
    }
    // dPre[0, width) holds the gradient of x·W (+ input bias); the recurrent share is already in dh
    for (int k = 0; k < in; k++) {
      double xk = x[xOff + k];
      double s = 0;
      int row = k * width;
      for (int j = 0; j < width; j++) {
        s += dPre[j] * kernel[row + j];
        dKernel[row + j] += xk * dPre[j];
      }
      dx[dxOff + k] += s;
    }
    if (inputBias != null) {
      for (int j = 0; j < width; j++) {
        dBias[j] += dPre[j];
      }
    }
  }

  /** Pre-activations {@code x·W + b_in} (and {@code + h·U} when {@code withRecurrent}) into {@code pre[0, width)}, rounded to float. */
  private void project(float[] x, int xOff, float[] h, int sOff, boolean withRecurrent) {
    for (int j = 0; j < width; j++) {
      double s = inputBias == null ? 0 : inputBias[j];
      for (int k = 0; k < in; k++) {
        s += (double) x[xOff + k] * kernel[k * width + j];
      }
      if (withRecurrent) {
        for (int k = 0; k < u; k++) {
          s += (double) h[sOff + k] * recurrent[k * width + j];
        }
      }
      pre[j] = (float) s;
    }
  }

  /** {@code q = h·U[:, cols) (+ recurrent bias)} into {@code pre[width + col0 ...)}, rounded to float. */
  private void recurrentProduct(float[] h, int hOff, int col0, int cols, float[] bias) {
    for (int j = col0; j < col0 + cols; j++) {
      double s = bias == null ? 0 : bias[j];
      for (int k = 0; k < u; k++) {
        s += (double) h[hOff + k] * recurrent[k * width + j];
      }
      pre[width + j] = (float) s;
    }
  }

  /** Adds {@code dq·Uᵀ} (columns [col0, col0 + cols) of U) to {@code dh} and {@code hᵀ·dq} to the recurrent gradient. */
  private void recurrentBackward(float[] h, int hOff, double[] dq, int dqOff, int col0, int cols, double[] dh) {
    for (int k = 0; k < u; k++) {
      double hk = h[hOff + k];
      double s = 0;
      int row = k * width;
      for (int j = col0; j < col0 + cols; j++) {
        double d = dq[dqOff + j - col0];
        s += d * recurrent[row + j];
        dRecurrent[row + j] += hk * d;
      }
      dh[k] += s;
    }
  }

  private void activateGate(Activation f, int gate) {
    f.applyRow(pre, gate * u, u, gates, gate * u);
  }

  private void lstm(float[] x, int xOff, float[] h, float[] c, int sOff, double[] dh, double[] dc) {
    project(x, xOff, h, sOff, true);
    activateGate(rec, 0);
    activateGate(rec, 1);
    activateGate(act, 2);
    activateGate(rec, 3);
    for (int j = 0; j < u; j++) {
      aux[j] = gates[u + j] * c[sOff + j] + gates[j] * gates[2 * u + j]; // c'
    }
    act.applyRow(aux, 0, u, aux, u); // φ(c')
    for (int j = 0; j < u; j++) {
      dGates[3 * u + j] = dh[j] * aux[u + j];
      dAux[j] = dh[j] * gates[3 * u + j];
    }
    act.backwardRow(aux, 0, u, dAux, dPre); // dPre[0, u) = dφ(c')/dc' · dh·o
    for (int j = 0; j < u; j++) {
      double dcNew = dc[j] + dPre[j];
      dGates[j] = dcNew * gates[2 * u + j];
      dGates[u + j] = dcNew * c[sOff + j];
      dGates[2 * u + j] = dcNew * gates[j];
      dc[j] = dcNew * gates[u + j];
    }
    gateBackward(rec, 0, dPre, 0);
    gateBackward(rec, 1, dPre, u);
    gateBackward(act, 2, dPre, 2 * u);
    gateBackward(rec, 3, dPre, 3 * u);
    java.util.Arrays.fill(dh, 0, u, 0.0);
    recurrentBackward(h, sOff, dPre, 0, 0, width, dh);
  }

  /** {@code dPre[off, off+u) = f'(pre[gate]) · dGates[gate]} along the gate's row. */
  private void gateBackward(Activation f, int gate, double[] out, int off) {
    double[] dy = new double[u];
    double[] dx = new double[u];
    System.arraycopy(dGates, gate * u, dy, 0, u);
    f.backwardRow(pre, gate * u, u, dy, dx);
    System.arraycopy(dx, 0, out, off, u);
  }

  private void gruAfter(float[] x, int xOff, float[] h, int sOff, double[] dh) {
    project(x, xOff, h, sOff, false);
    recurrentProduct(h, sOff, 0, width, recurrentBias);
    float[] a = pre;
    int q = width;
    // pre-activations of z, r (float, as the forward rounds them), then the candidate's
    for (int j = 0; j < 2 * u; j++) {
      aux[j] = a[j] + a[q + j];
    }
    rec.applyRow(aux, 0, u, gates, 0);
    rec.applyRow(aux, u, u, gates, u);
    float[] hhPre = new float[u];
    for (int j = 0; j < u; j++) {
      hhPre[j] = a[2 * u + j] + gates[u + j] * a[q + 2 * u + j];
    }
    act.applyRow(hhPre, 0, u, gates, 2 * u);
    double[] dHH = new double[u];
    for (int j = 0; j < u; j++) {
      double z = gates[j];
      dGates[j] = dh[j] * (h[sOff + j] - gates[2 * u + j]);
      dHH[j] = dh[j] * (1 - z);
      dh[j] = dh[j] * z;
    }
    double[] dHHPre = new double[u];
    act.backwardRow(hhPre, 0, u, dHH, dHHPre);
    double[] dq = new double[width];
    for (int j = 0; j < u; j++) {
      dGates[u + j] = dHHPre[j] * a[q + 2 * u + j];
      dq[2 * u + j] = dHHPre[j] * gates[u + j];
      dPre[2 * u + j] = dHHPre[j];
    }
    double[] dy = new double[u];
    double[] dx = new double[u];
    for (int g = 0; g < 2; g++) {
      System.arraycopy(dGates, g * u, dy, 0, u);
      rec.backwardRow(aux, g * u, u, dy, dx);
      System.arraycopy(dx, 0, dPre, g * u, u);
      System.arraycopy(dx, 0, dq, g * u, u);
    }
    recurrentBackward(h, sOff, dq, 0, 0, width, dh);
    if (recurrentBias != null) {
      for (int j = 0; j < width; j++) {
        dBias[width + j] += dq[j];
      }
    }
  }

  private void gruBefore(float[] x, int xOff, float[] h, int sOff, double[] dh) {
    project(x, xOff, h, sOff, false);
    recurrentProduct(h, sOff, 0, 2 * u, null);
    int q = width;
    for (int j = 0; j < 2 * u; j++) {
      aux[j] = pre[j] + pre[q + j];
    }
    rec.applyRow(aux, 0, u, gates, 0);
    rec.applyRow(aux, u, u, gates, u);
    float[] rh = new float[u];
    for (int j = 0; j < u; j++) {
      rh[j] = gates[u + j] * h[sOff + j];
    }
    float[] hhPre = new float[u];
    for (int j = 0; j < u; j++) {
      double s = 0;
      for (int k = 0; k < u; k++) {
        s += (double) rh[k] * recurrent[k * width + 2 * u + j];
      }
      hhPre[j] = pre[2 * u + j] + (float) s;
    }
    act.applyRow(hhPre, 0, u, gates, 2 * u);
    double[] dHH = new double[u];
    double[] dhOut = new double[u];
    for (int j = 0; j < u; j++) {
      double z = gates[j];
      dGates[j] = dh[j] * (h[sOff + j] - gates[2 * u + j]);
      dHH[j] = dh[j] * (1 - z);
      dhOut[j] = dh[j] * z;
    }
    double[] dHHPre = new double[u];
    act.backwardRow(hhPre, 0, u, dHH, dHHPre);
    // through (r∘h)·U_h
    double[] dRh = new double[u];
    for (int k = 0; k < u; k++) {
      double s = 0;
      int row = k * width + 2 * u;
      for (int j = 0; j < u; j++) {
        s += dHHPre[j] * recurrent[row + j];
        dRecurrent[row + j] += rh[k] * dHHPre[j];
      }
      dRh[k] = s;
    }
    for (int j = 0; j < u; j++) {
      dGates[u + j] = dRh[j] * h[sOff + j];
      dhOut[j] += dRh[j] * gates[u + j];
      dPre[2 * u + j] = dHHPre[j];
    }
    double[] dy = new double[u];
    double[] dx = new double[u];
    double[] dq = new double[2 * u];
    for (int g = 0; g < 2; g++) {
      System.arraycopy(dGates, g * u, dy, 0, u);
      rec.backwardRow(aux, g * u, u, dy, dx);
      System.arraycopy(dx, 0, dPre, g * u, u);
      System.arraycopy(dx, 0, dq, g * u, u);
    }
    recurrentBackward(h, sOff, dq, 0, 0, 2 * u, dhOut);
    System.arraycopy(dhOut, 0, dh, 0, u);
  }

  private void simple(float[] x, int xOff, float[] h, int sOff, double[] dh) {
    project(x, xOff, h, sOff, true);
    double[] dx = new double[u];
    act.backwardRow(pre, 0, u, dh, dx);
    System.arraycopy(dx, 0, dPre, 0, u);
    java.util.Arrays.fill(dh, 0, u, 0.0);
    recurrentBackward(h, sOff, dPre, 0, 0, width, dh);
  }

  /** The weight gradients, as float32 tensors in Keras layout and order. */
  List<Tensor> weightGradients(List<Tensor> like) {
    List<Tensor> out = new java.util.ArrayList<>();
    out.add(tensor(dKernel, like.get(0)));
    out.add(tensor(dRecurrent, like.get(1)));
    if (useBias) {
      out.add(tensor(dBias, like.get(2)));
    }
    return out;
  }

  private static Tensor tensor(double[] d, Tensor like) {
    float[] f = new float[d.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) d[i];
    }
    return Tensor.wrap(like.shape(), f);
  }
}

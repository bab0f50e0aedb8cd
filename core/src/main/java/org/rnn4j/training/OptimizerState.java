package org.rnn4j.training;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Tensor;

/**
 * An optimizer applied to one set of weights: the current weight values, the rule's slot variables
 * (momentums, velocities, accumulators) and the iteration count. Not thread-safe.
 */
public final class OptimizerState {
  private final Optimizer o;
  private final List<Tensor> shapes;
  private final boolean[] trainable;
  private final float[][] values;
  /** Per weight: SGD momentum, Adam m, RMSprop velocity, Adagrad accumulator. */
  private final float[][] first;
  /** Per weight: Adam v, RMSprop momentum. */
  private final float[][] second;
  /** Per weight: Adam's v_hat (AMSGrad), RMSprop's average gradient (centered). */
  private final float[][] third;
  private long iterations;

  OptimizerState(Optimizer optimizer, List<Tensor> weights, boolean[] trainable) {
    this.o = optimizer;
    this.shapes = weights;
    this.trainable = trainable;
    int n = weights.size();
    values = new float[n][];
    first = new float[n][];
    second = new float[n][];
    third = new float[n][];
    for (int i = 0; i < n; i++) {
      values[i] = weights.get(i).toArray();
      if (!trainable[i]) {
        continue;
      }
      int size = values[i].length;
      boolean sgdMomentum = o.kind == Optimizer.Kind.SGD && o.momentum != 0;
      if (sgdMomentum || o.kind != Optimizer.Kind.SGD) {
        first[i] = new float[size];
      }
      if (o.kind == Optimizer.Kind.ADAGRAD) {
        java.util.Arrays.fill(first[i], (float) o.initialAccumulator);
      }
      if (o.kind == Optimizer.Kind.ADAM || o.kind == Optimizer.Kind.ADAMW
          || (o.kind == Optimizer.Kind.RMSPROP && o.momentum > 0)) {
        second[i] = new float[size];
      }
      if (((o.kind == Optimizer.Kind.ADAM || o.kind == Optimizer.Kind.ADAMW) && o.amsgrad)
          || (o.kind == Optimizer.Kind.RMSPROP && o.centered)) {
        third[i] = new float[size];
      }
    }
  }

  /** The updates applied so far (Keras' {@code optimizer.iterations}). */
  public long iterations() {
    return iterations;
  }

  /** The optimizer this state applies. */
  public Optimizer optimizer() {
    return o;
  }

  /** The current weights, in the order given to {@link Optimizer#start}. */
  public List<Tensor> weights() {
    List<Tensor> out = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      out.add(Tensor.of(shapes.get(i).shape(), values[i]));
    }
    return out;
  }

  /** Sets the weights to {@code weights} (same shapes), leaving the slots and iterations (Keras' {@code set_weights}). */
  void restore(List<Tensor> weights) {
    for (int i = 0; i < values.length; i++) {
      values[i] = weights.get(i).toArray();
    }
  }

  /**
   * Applies one update with {@code gradients} (one per weight, in order; those of weights that are
   * not trainable are ignored).
   *
   * @throws IllegalArgumentException if a gradient's shape differs from its weight's
   */
  public void apply(List<Tensor> gradients) {
    if (gradients.size() != values.length) {
      throw new IllegalArgumentException("expected " + values.length + " gradients, got " + gradients.size());
    }
    float[][] g = new float[values.length][];
    for (int i = 0; i < values.length; i++) {
      if (trainable[i]) {
        if (!java.util.Arrays.equals(gradients.get(i).shape(), shapes.get(i).shape())) {
          throw new IllegalArgumentException("gradient " + i + " has shape " + java.util.Arrays.toString(gradients.get(i).shape())
              + ", its weight " + java.util.Arrays.toString(shapes.get(i).shape()));
        }
        g[i] = gradients.get(i).toArray();
      }
    }
    clip(g);
    float lr = o.learningRate.at(iterations);
    for (int i = 0; i < values.length; i++) {
      if (g[i] == null) {
        continue;
      }
      if (!Double.isNaN(o.weightDecay)) {
        float wd = (float) o.weightDecay;
        float[] w = values[i];
        for (int k = 0; k < w.length; k++) {
          w[k] = w[k] - w[k] * wd * lr;
        }
      }
      switch (o.kind) {
        case SGD -> sgd(i, g[i], lr);
        case ADAM, ADAMW -> adam(i, g[i], lr);
        case RMSPROP -> rmsprop(i, g[i], lr);
        case ADAGRAD -> adagrad(i, g[i], lr);
      }
    }
    iterations++;
  }

  /** Keras' {@code _clip_gradients}: by each weight's norm, else the global norm, else by value. */
  private void clip(float[][] g) {
    if (!Double.isNaN(o.clipnorm)) {
      float c = (float) o.clipnorm;
      for (float[] gi : g) {
        if (gi != null) {
          float l2sum = sumOfSquares(gi);
          float norm = l2sum > 0 ? (float) Math.sqrt(l2sum) : l2sum;
          float divisor = Math.max(norm, c);
          for (int k = 0; k < gi.length; k++) {
            gi[k] = gi[k] * c / divisor;
          }
        }
      }
    } else if (!Double.isNaN(o.globalClipnorm)) {
      double squares = 0;
      for (float[] gi : g) {
        if (gi != null) {
          squares += sumOfSquares(gi);
        }
      }
      float c = (float) o.globalClipnorm;
      float norm = (float) Math.sqrt((float) squares);
      float scale = c * Math.min(1f / norm, 1f / c) + (norm - norm);
      for (float[] gi : g) {
        if (gi != null) {
          for (int k = 0; k < gi.length; k++) {
            gi[k] = gi[k] * scale;
          }
        }
      }
    } else if (!Double.isNaN(o.clipvalue)) {
      float c = (float) o.clipvalue;
      for (float[] gi : g) {
        if (gi != null) {
          for (int k = 0; k < gi.length; k++) {
            gi[k] = Math.min(Math.max(gi[k], -c), c);
          }
        }
      }
    }
  }

  private static float sumOfSquares(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return (float) s;
  }

  private void sgd(int i, float[] g, float lr) {
    float[] w = values[i];
    float[] m = first[i];
    if (m == null) {
      for (int k = 0; k < w.length; k++) {
        w[k] = w[k] - g[k] * lr;
      }
      return;
    }
    float mom = (float) o.momentum;
    for (int k = 0; k < w.length; k++) {
      m[k] = m[k] * mom - g[k] * lr;
      w[k] = o.nesterov ? w[k] + (m[k] * mom - g[k] * lr) : w[k] + m[k];
    }
  }

  private void adam(int i, float[] g, float lr) {
    float[] w = values[i];
    float[] m = first[i];
    float[] v = second[i];
    float[] vHat = third[i];
    float step = iterations + 1;
    float beta1Power = (float) Math.pow((float) o.beta1, step);
    float beta2Power = (float) Math.pow((float) o.beta2, step);
    float alpha = lr * (float) Math.sqrt(1 - beta2Power) / (1 - beta1Power);
    float oneMinusBeta1 = (float) (1 - o.beta1);
    float oneMinusBeta2 = (float) (1 - o.beta2);
    float eps = (float) o.epsilon;
    for (int k = 0; k < w.length; k++) {
      m[k] = m[k] + (g[k] - m[k]) * oneMinusBeta1;
      v[k] = v[k] + (g[k] * g[k] - v[k]) * oneMinusBeta2;
      float vk = v[k];
      if (vHat != null) {
        vHat[k] = Math.max(vHat[k], v[k]);
        vk = vHat[k];
      }
      w[k] = w[k] - (m[k] * alpha) / ((float) Math.sqrt(vk) + eps);
    }
  }

  private void rmsprop(int i, float[] g, float lr) {
    float[] w = values[i];
    float[] velocity = first[i];
    float[] momentum = second[i];
    float[] average = third[i];
    float rho = (float) o.rho;
    float oneMinusRho = (float) (1 - o.rho);
    float eps = (float) o.epsilon;
    float mom = (float) o.momentum;
    for (int k = 0; k < w.length; k++) {
      velocity[k] = rho * velocity[k] + oneMinusRho * (g[k] * g[k]);
      float denominator;
      if (average != null) {
        average[k] = rho * average[k] + oneMinusRho * g[k];
        denominator = velocity[k] - average[k] * average[k] + eps;
      } else {
        denominator = velocity[k] + eps;
      }
      float increment = (lr * g[k]) / (float) Math.sqrt(denominator);
      if (momentum != null) {
        momentum[k] = mom * momentum[k] + increment;
        w[k] = w[k] - momentum[k];
      } else {
        w[k] = w[k] - increment;
      }
    }
  }

  private void adagrad(int i, float[] g, float lr) {
    float[] w = values[i];
    float[] acc = first[i];
    float eps = (float) o.epsilon;
    for (int k = 0; k < w.length; k++) {
      acc[k] = acc[k] + g[k] * g[k];
      w[k] = w[k] - (lr * g[k]) / (float) Math.sqrt(acc[k] + eps);
    }
  }
}

package org.rnn4j.testing;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Tensor;

/**
 * Keras 3's optimizer update rules in float64, written from Keras' definitions apart from
 * rnn4j's float32 implementation: one instance per training run, weights and slots as doubles.
 */
final class OracleOptimizer {
  enum Rule { SGD, ADAM, RMSPROP, ADAGRAD }

  /** A rule's constants; NaN where absent. */
  record Config(Rule rule, double lr, double momentum, boolean nesterov, double beta1, double beta2, double epsilon,
      boolean amsgrad, double rho, boolean centered, double initialAccumulator, double weightDecay, double clipnorm,
      double globalClipnorm, double clipvalue, double decayRate, long decaySteps) {

    static Config of(Rule rule, double lr) {
      return new Config(rule, lr, 0, false, 0.9, 0.999, 1e-7, false, 0.9, false, 0.1, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, 0);
    }

    Config momentum(double m, boolean n) {
      return new Config(rule, lr, m, n, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator, weightDecay,
          clipnorm, globalClipnorm, clipvalue, decayRate, decaySteps);
    }

    Config withAmsgrad() {
      return new Config(rule, lr, momentum, nesterov, beta1, beta2, epsilon, true, rho, centered, initialAccumulator,
          weightDecay, clipnorm, globalClipnorm, clipvalue, decayRate, decaySteps);
    }

    Config withCentered() {
      return new Config(rule, lr, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, true, initialAccumulator,
          weightDecay, clipnorm, globalClipnorm, clipvalue, decayRate, decaySteps);
    }

    Config weightDecay(double d) {
      return new Config(rule, lr, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator, d,
          clipnorm, globalClipnorm, clipvalue, decayRate, decaySteps);
    }

    Config clip(double norm, double global, double value) {
      return new Config(rule, lr, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator,
          weightDecay, norm, global, value, decayRate, decaySteps);
    }

    /** lr · rate^(iterations / steps), Keras' ExponentialDecay without staircase. */
    Config exponentialDecay(double rate, long steps) {
      return new Config(rule, lr, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator,
          weightDecay, clipnorm, globalClipnorm, clipvalue, rate, steps);
    }
  }

  private final Config c;
  private final double[][] w;
  private final double[][] s1;
  private final double[][] s2;
  private final double[][] s3;
  private final boolean[] trainable;
  private long t;

  OracleOptimizer(Config config, List<Tensor> weights, boolean[] trainable) {
    this.c = config;
    this.trainable = trainable;
    int n = weights.size();
    w = new double[n][];
    s1 = new double[n][];
    s2 = new double[n][];
    s3 = new double[n][];
    for (int i = 0; i < n; i++) {
      w[i] = new double[weights.get(i).size()];
      for (int k = 0; k < w[i].length; k++) {
        w[i][k] = weights.get(i).getFlat(k);
      }
      s1[i] = new double[w[i].length];
      s2[i] = new double[w[i].length];
      s3[i] = new double[w[i].length];
      if (c.rule() == Rule.ADAGRAD) {
        java.util.Arrays.fill(s1[i], c.initialAccumulator());
      }
    }
  }

  /** The weights, rounded to float32 (as a model holds them). */
  List<Tensor> weights(List<Tensor> shapes) {
    List<Tensor> out = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      float[] f = new float[w[i].length];
      for (int k = 0; k < f.length; k++) {
        f[k] = (float) w[i][k];
      }
      out.add(Tensor.wrap(shapes.get(i).shape(), f));
    }
    return out;
  }

  /** The weights as the float64 values the oracle's next forward pass uses. */
  double[][] exact() {
    return w;
  }

  void apply(List<Tensor> gradients) {
    double[][] g = new double[w.length][];
    for (int i = 0; i < w.length; i++) {
      g[i] = new double[w[i].length];
      for (int k = 0; k < g[i].length; k++) {
        g[i][k] = gradients.get(i).getFlat(k);
      }
    }
    if (!Double.isNaN(c.clipnorm())) {
      for (int i = 0; i < g.length; i++) {
        double norm = Math.sqrt(squares(g[i]));
        scale(g[i], norm > c.clipnorm() ? c.clipnorm() / norm : 1);
      }
    } else if (!Double.isNaN(c.globalClipnorm())) {
      double total = 0;
      for (int i = 0; i < g.length; i++) {
        total += trainable[i] ? squares(g[i]) : 0;
      }
      double norm = Math.sqrt(total);
      for (double[] gi : g) {
        scale(gi, norm > c.globalClipnorm() ? c.globalClipnorm() / norm : 1);
      }
    } else if (!Double.isNaN(c.clipvalue())) {
      for (double[] gi : g) {
        for (int k = 0; k < gi.length; k++) {
          gi[k] = Math.max(-c.clipvalue(), Math.min(c.clipvalue(), gi[k]));
        }
      }
    }
    double lr = Double.isNaN(c.decayRate()) ? c.lr() : c.lr() * Math.pow(c.decayRate(), (double) t / c.decaySteps());
    for (int i = 0; i < w.length; i++) {
      if (!trainable[i]) {
        continue;
      }
      for (int k = 0; k < w[i].length; k++) {
        if (!Double.isNaN(c.weightDecay())) {
          w[i][k] *= 1 - c.weightDecay() * lr;
        }
        update(i, k, g[i][k], lr);
      }
    }
    t++;
  }

  private void update(int i, int k, double g, double lr) {
    switch (c.rule()) {
      case SGD -> {
        if (c.momentum() == 0) {
          w[i][k] -= lr * g;
        } else {
          double velocity = c.momentum() * s1[i][k] - lr * g;
          s1[i][k] = velocity;
          w[i][k] += c.nesterov() ? c.momentum() * velocity - lr * g : velocity;
        }
      }
      case ADAM -> {
        long step = t + 1;
        s1[i][k] = c.beta1() * s1[i][k] + (1 - c.beta1()) * g;
        s2[i][k] = c.beta2() * s2[i][k] + (1 - c.beta2()) * g * g;
        double v = s2[i][k];
        if (c.amsgrad()) {
          s3[i][k] = Math.max(s3[i][k], v);
          v = s3[i][k];
        }
        // Keras: the bias corrections folded into the step size, epsilon outside the root of the raw second moment
        double stepSize = lr * Math.sqrt(1 - Math.pow(c.beta2(), step)) / (1 - Math.pow(c.beta1(), step));
        w[i][k] -= stepSize * s1[i][k] / (Math.sqrt(v) + c.epsilon());
      }
      case RMSPROP -> {
        s1[i][k] = c.rho() * s1[i][k] + (1 - c.rho()) * g * g;
        double denominator = s1[i][k] + c.epsilon();
        if (c.centered()) {
          s3[i][k] = c.rho() * s3[i][k] + (1 - c.rho()) * g;
          denominator -= s3[i][k] * s3[i][k];
        }
        double increment = lr * g / Math.sqrt(denominator);
        if (c.momentum() > 0) {
          s2[i][k] = c.momentum() * s2[i][k] + increment;
          w[i][k] -= s2[i][k];
        } else {
          w[i][k] -= increment;
        }
      }
      case ADAGRAD -> {
        s1[i][k] += g * g;
        w[i][k] -= lr * g / Math.sqrt(s1[i][k] + c.epsilon());
      }
    }
  }

  private static double squares(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return s;
  }

  private static void scale(double[] v, double f) {
    for (int k = 0; k < v.length; k++) {
      v[k] *= f;
    }
  }
}

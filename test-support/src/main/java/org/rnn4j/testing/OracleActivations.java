package org.rnn4j.testing;

import java.util.Arrays;
import org.rnn4j.layers.Activation;

/**
 * Every Keras activation written from its definition in double precision, apart from the
 * definitions the backends use ({@code Activation.applyRow}), so that the oracle does not check
 * a function against itself. Each acts on one vector along the last axis.
 */
final class OracleActivations {
  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_SCALE = 1.0507009873554804934193349852946;

  private OracleActivations() {}

  /** The activation of one row (the last axis), as Keras defines it. */
  static double[] apply(Activation a, double[] x) {
    int n = x.length;
    switch (a) {
      case SOFTMAX, LOG_SOFTMAX -> {
        double max = Arrays.stream(x).max().orElse(0);
        double sum = Arrays.stream(x).map(v -> Math.exp(v - max)).sum();
        return Arrays.stream(x).map(v -> a == Activation.SOFTMAX ? Math.exp(v - max) / sum : v - max - Math.log(sum)).toArray();
      }
      case SPARSEMAX -> {
        // tau solves sum(max(x - tau, 0)) = 1; bisection between max - 1 and max
        double hi = Arrays.stream(x).max().orElse(0);
        double lo = hi - 1;
        for (int i = 0; i < 200; i++) {
          double mid = (lo + hi) / 2;
          double mass = 0;
          for (double v : x) {
            mass += Math.max(v - mid, 0);
          }
          if (mass > 1) {
            lo = mid;
          } else {
            hi = mid;
          }
        }
        double tau = (lo + hi) / 2;
        return Arrays.stream(x).map(v -> Math.max(v - tau, 0)).toArray();
      }
      case CRELU -> {
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
          out[i] = Math.max(x[i], 0);
          out[n + i] = Math.max(-x[i], 0);
        }
        return out;
      }
      case GLU -> {
        double[] out = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
          out[i] = x[i] / (1 + Math.exp(-x[n / 2 + i]));
        }
        return out;
      }
      default -> {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
          out[i] = scalar(a, x[i]);
        }
        return out;
      }
    }
  }

  private static double scalar(Activation a, double x) {
    return switch (a) {
      case LINEAR -> x;
      case TANH -> Math.abs(x) > 20 ? Math.signum(x) : (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1);
      case SIGMOID -> 1 / (1 + Math.exp(-x));
      case HARD_SIGMOID -> clip(0.2 * x + 0.5, 0, 1);
      case HARD_SIGMOID_KERAS3 -> clip(x + 3, 0, 6) / 6;
      case RELU -> Math.max(x, 0);
      case RELU6 -> clip(x, 0, 6);
      case LEAKY_RELU -> x > 0 ? x : 0.2 * x;
      case ELU -> x > 0 ? x : Math.exp(x) - 1;
      case SELU -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1));
      case SOFTPLUS -> softplus(x);
      case SOFTSIGN -> x / (Math.abs(x) + 1);
      case SILU -> x / (1 + Math.exp(-x));
      case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      case HARD_SILU -> x * clip(x + 3, 0, 6) / 6;
      case EXPONENTIAL -> Math.exp(x);
      case MISH -> x * scalar(Activation.TANH, softplus(x));
      case CELU -> Math.max(x, 0) + Math.min(Math.exp(x) - 1, 0);
      case HARD_TANH -> clip(x, -1, 1);
      case HARD_SHRINK -> Math.abs(x) > 0.5 ? x : 0;
      case SOFT_SHRINK -> x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0;
      case LOG_SIGMOID -> -softplus(-x);
      case SPARSE_PLUS -> x <= -1 ? 0 : x >= 1 ? x : 0.25 * (x + 1) * (x + 1);
      case SQUAREPLUS -> (x + Math.sqrt(x * x + 4)) / 2;
      case TANH_SHRINK -> x - scalar(Activation.TANH, x);
      default -> throw new IllegalArgumentException(a + " acts along the last axis");
    };
  }

  /** log(1 + e^x), written as max(x, 0) + log(1 + e^-|x|) so that it does not overflow. */
  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log(1 + Math.exp(-Math.abs(x)));
  }

  private static double clip(double x, double lo, double hi) {
    return Math.min(Math.max(x, lo), hi);
  }

  /** erf by its Maclaurin series near 0 and its continued fraction in the tails (double accuracy). */
  private static double erf(double x) {
    double ax = Math.abs(x);
    if (ax < 3) {
      double term = ax;
      double sum = ax;
      for (int k = 1; k < 200; k++) {
        term *= -ax * ax / k;
        double add = term / (2 * k + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      return Math.copySign(2 / Math.sqrt(Math.PI) * sum, x);
    }
    // erfc(x) = exp(-x²)/sqrt(pi) · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
    double f = ax;
    for (int k = 60; k >= 1; k--) {
      f = ax + (k / 2.0) / f;
    }
    double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
    return Math.copySign(1 - erfc, x);
  }
}

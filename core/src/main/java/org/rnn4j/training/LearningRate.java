package org.rnn4j.training;

/**
 * A learning rate as a function of the optimizer's iteration count (0 for the first update), with
 * Keras 3's definitions: a constant, {@code ExponentialDecay} and {@code CosineDecay}. Values are
 * float32, as Keras computes them.
 */
public sealed interface LearningRate {

  /** The rate for the update after {@code iterations} earlier updates. */
  float at(long iterations);

  /** A constant rate. */
  static LearningRate constant(double rate) {
    return new Constant(rate);
  }

  /**
   * Keras' {@code ExponentialDecay}: {@code initial * rate^(step / decaySteps)}, the exponent
   * floored when {@code staircase}.
   */
  static LearningRate exponentialDecay(double initial, long decaySteps, double decayRate, boolean staircase) {
    return new ExponentialDecay(initial, decaySteps, decayRate, staircase);
  }

  /**
   * Keras' {@code CosineDecay} without warmup: {@code initial * ((1 - alpha) * 0.5 * (1 +
   * cos(pi * min(step, decaySteps) / decaySteps)) + alpha)}.
   */
  static LearningRate cosineDecay(double initial, long decaySteps, double alpha) {
    return new CosineDecay(initial, decaySteps, alpha, Double.NaN, 0);
  }

  /**
   * Keras' {@code CosineDecay} with a linear warmup from {@code initial} to {@code warmupTarget}
   * over {@code warmupSteps}, then the cosine decay from {@code warmupTarget}.
   */
  static LearningRate cosineDecay(double initial, long decaySteps, double alpha, double warmupTarget, long warmupSteps) {
    return new CosineDecay(initial, decaySteps, alpha, warmupTarget, warmupSteps);
  }

  record Constant(double rate) implements LearningRate {
    public Constant {
      checkRate(rate, "learning rate");
    }

    @Override
    public float at(long iterations) {
      return (float) rate;
    }

    @Override
    public String toString() {
      return Double.toString(rate);
    }
  }

  record ExponentialDecay(double initial, long decaySteps, double decayRate, boolean staircase) implements LearningRate {
    public ExponentialDecay {
      checkRate(initial, "initial learning rate");
      if (decaySteps <= 0) {
        throw new IllegalArgumentException("ExponentialDecay: decay_steps must be > 0, got " + decaySteps);
      }
    }

    @Override
    public float at(long iterations) {
      float p = (float) iterations / (float) decaySteps;
      if (staircase) {
        p = (float) Math.floor(p);
      }
      return (float) initial * (float) Math.pow((float) decayRate, p);
    }
  }

  record CosineDecay(double initial, long decaySteps, double alpha, double warmupTarget, long warmupSteps) implements LearningRate {
    public CosineDecay {
      checkRate(initial, "initial learning rate");
      if (decaySteps <= 0) {
        throw new IllegalArgumentException("CosineDecay: decay_steps must be > 0, got " + decaySteps);
      }
      if (warmupSteps < 0) {
        throw new IllegalArgumentException("CosineDecay: warmup_steps must be >= 0, got " + warmupSteps);
      }
    }

    @Override
    public float at(long iterations) {
      float step = iterations;
      if (Double.isNaN(warmupTarget)) {
        return decayed(Math.min(step, (float) decaySteps), (float) initial);
      }
      step = Math.min(step, (float) decaySteps + (float) warmupSteps);
      if (step < warmupSteps) {
        float fraction = step / (float) warmupSteps;
        return ((float) warmupTarget - (float) initial) * fraction + (float) initial;
      }
      return decayed(step - warmupSteps, (float) warmupTarget);
    }

    private float decayed(float step, float from) {
      float fraction = step / (float) decaySteps;
      float cosine = 0.5f * (1f + (float) Math.cos((float) Math.PI * fraction));
      float decayed = (float) (1 - alpha) * cosine + (float) alpha;
      return from * decayed;
    }
  }

  private static void checkRate(double rate, String what) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + rate);
    }
  }
}

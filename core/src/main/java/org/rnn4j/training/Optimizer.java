package org.rnn4j.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.Tensor;

/**
 * A Keras 3 optimizer's configuration: its update rule, hyperparameters (Keras' defaults unless
 * changed), learning rate or schedule, weight decay and gradient clipping. Immutable; {@link
 * #start} makes the mutable {@link OptimizerState} that applies updates.
 *
 * <pre>{@code
 * Optimizer sgd = Optimizer.sgd().withLearningRate(0.1).withMomentum(0.9).withNesterov(true);
 * Optimizer adam = Optimizer.adam().withLearningRate(LearningRate.exponentialDecay(1e-3, 100, 0.96, false));
 * }</pre>
 *
 * <p>Each update follows Keras 3's {@code apply}: the gradients are clipped ({@code clipnorm} per
 * weight, else {@code global_clipnorm}, else {@code clipvalue}; Keras allows one of them), weight
 * decay is applied ({@code w -= w * decay * lr}), then the rule's {@code update_step}, with the
 * learning rate taken at the iteration count before the update. Arithmetic is float32 in Keras'
 * order of operations.
 */
public final class Optimizer {

  /** The update rules. */
  public enum Kind {
    SGD, ADAM, ADAMW, RMSPROP, ADAGRAD;

    /** The name Keras' {@code optimizer=} string and the CLI use. */
    public String kerasName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final Kind kind;
  final LearningRate learningRate;
  final double momentum;
  final boolean nesterov;
  final double beta1;
  final double beta2;
  final double epsilon;
  final boolean amsgrad;
  final double rho;
  final boolean centered;
  final double initialAccumulator;
  /** NaN when absent (Keras' None). */
  final double weightDecay;
  final double clipnorm;
  final double globalClipnorm;
  final double clipvalue;

  private Optimizer(Kind kind, LearningRate learningRate, double momentum, boolean nesterov, double beta1, double beta2,
      double epsilon, boolean amsgrad, double rho, boolean centered, double initialAccumulator, double weightDecay,
      double clipnorm, double globalClipnorm, double clipvalue) {
    this.kind = kind;
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
    this.rho = rho;
    this.centered = centered;
    this.initialAccumulator = initialAccumulator;
    this.weightDecay = weightDecay;
    this.clipnorm = clipnorm;
    this.globalClipnorm = globalClipnorm;
    this.clipvalue = clipvalue;
    int clips = (Double.isNaN(clipnorm) ? 0 : 1) + (Double.isNaN(globalClipnorm) ? 0 : 1) + (Double.isNaN(clipvalue) ? 0 : 1);
    if (clips > 1) {
      throw new IllegalArgumentException("only one of clipnorm, global_clipnorm and clipvalue may be set (as in Keras)");
    }
  }

  private static Optimizer of(Kind kind, double lr) {
    return new Optimizer(kind, LearningRate.constant(lr), 0, false, 0.9, 0.999, 1e-7, false, 0.9, false, 0.1,
        kind == Kind.ADAMW ? 0.004 : Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  /** Keras' {@code SGD()}: learning rate 0.01, momentum 0, not Nesterov. */
  public static Optimizer sgd() {
    return of(Kind.SGD, 0.01);
  }

  /** Keras' {@code Adam()}: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7, no AMSGrad. */
  public static Optimizer adam() {
    return of(Kind.ADAM, 0.001);
  }

  /** Keras' {@code AdamW()}: Adam's defaults with weight decay 0.004. */
  public static Optimizer adamW() {
    return of(Kind.ADAMW, 0.001);
  }

  /** Keras' {@code RMSprop()}: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7, not centered. */
  public static Optimizer rmsprop() {
    return of(Kind.RMSPROP, 0.001);
  }

  /** Keras' {@code Adagrad()}: learning rate 0.001, initial accumulator 0.1, epsilon 1e-7. */
  public static Optimizer adagrad() {
    return of(Kind.ADAGRAD, 0.001);
  }

  /**
   * The optimizer Keras' string names: {@code sgd}, {@code adam}, {@code adamw}, {@code rmsprop},
   * {@code adagrad} (case-insensitive), with Keras' defaults.
   *
   * @throws IllegalArgumentException for another name, listing the known ones
   */
  public static Optimizer named(String name) {
    for (Kind k : Kind.values()) {
      if (k.kerasName().equalsIgnoreCase(name)) {
        return switch (k) {
          case SGD -> sgd();
          case ADAM -> adam();
          case ADAMW -> adamW();
          case RMSPROP -> rmsprop();
          case ADAGRAD -> adagrad();
        };
      }
    }
    throw new IllegalArgumentException("unknown optimizer '" + name + "' (expected sgd, adam, adamw, rmsprop or adagrad)");
  }

  public Kind kind() {
    return kind;
  }

  public LearningRate learningRate() {
    return learningRate;
  }

  private Optimizer with(LearningRate lr, double momentum, boolean nesterov, double beta1, double beta2, double epsilon,
      boolean amsgrad, double rho, boolean centered, double initialAccumulator, double weightDecay, double clipnorm,
      double globalClipnorm, double clipvalue) {
    return new Optimizer(kind, lr, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator,
        weightDecay, clipnorm, globalClipnorm, clipvalue);
  }

  public Optimizer withLearningRate(double rate) {
    return withLearningRate(LearningRate.constant(rate));
  }

  public Optimizer withLearningRate(LearningRate rate) {
    return with(java.util.Objects.requireNonNull(rate), momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered,
        initialAccumulator, weightDecay, clipnorm, globalClipnorm, clipvalue);
  }

  /** SGD's and RMSprop's momentum. */
  public Optimizer withMomentum(double m) {
    require(kind == Kind.SGD || kind == Kind.RMSPROP, "momentum");
    if (!(m >= 0 && m <= 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1], got " + m);
    }
    return with(learningRate, m, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator, weightDecay,
        clipnorm, globalClipnorm, clipvalue);
  }

  public Optimizer withNesterov(boolean n) {
    require(kind == Kind.SGD, "nesterov");
    return with(learningRate, momentum, n, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator, weightDecay,
        clipnorm, globalClipnorm, clipvalue);
  }

  public Optimizer withBetas(double b1, double b2) {
    require(kind == Kind.ADAM || kind == Kind.ADAMW, "beta_1/beta_2");
    return with(learningRate, momentum, nesterov, b1, b2, epsilon, amsgrad, rho, centered, initialAccumulator, weightDecay,
        clipnorm, globalClipnorm, clipvalue);
  }

  public Optimizer withEpsilon(double e) {
    require(kind != Kind.SGD, "epsilon");
    return with(learningRate, momentum, nesterov, beta1, beta2, e, amsgrad, rho, centered, initialAccumulator, weightDecay,
        clipnorm, globalClipnorm, clipvalue);
  }

  public Optimizer withAmsgrad(boolean a) {
    require(kind == Kind.ADAM || kind == Kind.ADAMW, "amsgrad");
    return with(learningRate, momentum, nesterov, beta1, beta2, epsilon, a, rho, centered, initialAccumulator, weightDecay,
        clipnorm, globalClipnorm, clipvalue);
  }

  public Optimizer withRho(double r) {
    require(kind == Kind.RMSPROP, "rho");
    return with(learningRate, momentum, nesterov, beta1, beta2, epsilon, amsgrad, r, centered, initialAccumulator, weightDecay,
        clipnorm, globalClipnorm, clipvalue);
  }

  public Optimizer withCentered(boolean c) {
    require(kind == Kind.RMSPROP, "centered");
    return with(learningRate, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, c, initialAccumulator, weightDecay,
        clipnorm, globalClipnorm, clipvalue);
  }

  public Optimizer withInitialAccumulator(double a) {
    require(kind == Kind.ADAGRAD, "initial_accumulator_value");
    if (!(a >= 0)) {
      throw new IllegalArgumentException("initial_accumulator_value must be >= 0, got " + a);
    }
    return with(learningRate, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, a, weightDecay, clipnorm,
        globalClipnorm, clipvalue);
  }

  /** Keras' {@code weight_decay}: {@code w -= w * decay * lr} before each update; NaN for none. */
  public Optimizer withWeightDecay(double d) {
    return with(learningRate, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator, d,
        clipnorm, globalClipnorm, clipvalue);
  }

  /** Clips each weight's gradient to this L2 norm. */
  public Optimizer withClipnorm(double c) {
    return with(learningRate, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator,
        weightDecay, positive(c, "clipnorm"), globalClipnorm, clipvalue);
  }

  /** Clips all gradients together to this global L2 norm. */
  public Optimizer withGlobalClipnorm(double c) {
    return with(learningRate, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator,
        weightDecay, clipnorm, positive(c, "global_clipnorm"), clipvalue);
  }

  /** Clips every gradient element to {@code [-c, c]}. */
  public Optimizer withClipvalue(double c) {
    return with(learningRate, momentum, nesterov, beta1, beta2, epsilon, amsgrad, rho, centered, initialAccumulator,
        weightDecay, clipnorm, globalClipnorm, positive(c, "clipvalue"));
  }

  private static double positive(double c, String what) {
    if (!(c > 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException(what + " must be a finite number > 0, got " + c);
    }
    return c;
  }

  private void require(boolean applies, String parameter) {
    if (!applies) {
      throw new IllegalArgumentException(kind.kerasName() + " has no parameter " + parameter);
    }
  }

  /**
   * A fresh optimizer state (zero iterations, slots as Keras builds them) over a copy of {@code
   * weights}; the weights {@code trainable} marks false are never changed.
   */
  public OptimizerState start(List<Tensor> weights, boolean[] trainable) {
    if (trainable.length != weights.size()) {
      throw new IllegalArgumentException("trainable flags: " + trainable.length + " for " + weights.size() + " weights");
    }
    return new OptimizerState(this, new ArrayList<>(weights), trainable.clone());
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(kind.kerasName()).append("(learning_rate=").append(learningRate);
    switch (kind) {
      case SGD -> s.append(", momentum=").append(momentum).append(", nesterov=").append(nesterov);
      case ADAM, ADAMW -> s.append(", beta_1=").append(beta1).append(", beta_2=").append(beta2).append(", epsilon=")
          .append(epsilon).append(", amsgrad=").append(amsgrad);
      case RMSPROP -> s.append(", rho=").append(rho).append(", momentum=").append(momentum).append(", epsilon=")
          .append(epsilon).append(", centered=").append(centered);
      case ADAGRAD -> s.append(", initial_accumulator_value=").append(initialAccumulator).append(", epsilon=").append(epsilon);
    }
    if (!Double.isNaN(weightDecay)) {
      s.append(", weight_decay=").append(weightDecay);
    }
    if (!Double.isNaN(clipnorm)) {
      s.append(", clipnorm=").append(clipnorm);
    }
    if (!Double.isNaN(globalClipnorm)) {
      s.append(", global_clipnorm=").append(globalClipnorm);
    }
    if (!Double.isNaN(clipvalue)) {
      s.append(", clipvalue=").append(clipvalue);
    }
    return s.append(')').toString();
  }
}

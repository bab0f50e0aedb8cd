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
  LearningRate learningRate;
  double momentum;
  boolean nesterov;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-7;
  boolean amsgrad;
  double rho = 0.9;
  boolean centered;
  double initialAccumulator = 0.1;
  /** NaN when absent (Keras' None); the clipping bounds likewise. */
  double weightDecay = Double.NaN;
  double clipnorm = Double.NaN;
  double globalClipnorm = Double.NaN;
  double clipvalue = Double.NaN;

  private Optimizer(Kind kind, double learningRate) {
    this.kind = kind;
    this.learningRate = LearningRate.constant(learningRate);
    if (kind == Kind.ADAMW) {
      weightDecay = 0.004;
    }
  }

  /** A copy to change one setting of (the fields are never changed after a {@code with} method returns). */
  private Optimizer copy() {
    Optimizer c = new Optimizer(kind, 0);
    c.learningRate = learningRate;
    c.momentum = momentum;
    c.nesterov = nesterov;
    c.beta1 = beta1;
    c.beta2 = beta2;
    c.epsilon = epsilon;
    c.amsgrad = amsgrad;
    c.rho = rho;
    c.centered = centered;
    c.initialAccumulator = initialAccumulator;
    c.weightDecay = weightDecay;
    c.clipnorm = clipnorm;
    c.globalClipnorm = globalClipnorm;
    c.clipvalue = clipvalue;
    return c;
  }

  private Optimizer checkedClipping() {
    int clips = (Double.isNaN(clipnorm) ? 0 : 1) + (Double.isNaN(globalClipnorm) ? 0 : 1) + (Double.isNaN(clipvalue) ? 0 : 1);
    if (clips > 1) {
      throw new IllegalArgumentException("only one of clipnorm, global_clipnorm and clipvalue may be set (as in Keras)");
    }
    return this;
  }

  private static Optimizer of(Kind kind, double lr) {
    return new Optimizer(kind, lr);
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

  public Optimizer withLearningRate(double rate) {
    return withLearningRate(LearningRate.constant(rate));
  }

  public Optimizer withLearningRate(LearningRate rate) {
    Optimizer c = copy();
    c.learningRate = java.util.Objects.requireNonNull(rate);
    return c;
  }

  /** SGD's and RMSprop's momentum. */
  public Optimizer withMomentum(double m) {
    require(kind == Kind.SGD || kind == Kind.RMSPROP, "momentum");
    if (!(m >= 0 && m <= 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1], got " + m);
    }
    Optimizer c = copy();
    c.momentum = m;
    return c;
  }

  public Optimizer withNesterov(boolean n) {
    require(kind == Kind.SGD, "nesterov");
    Optimizer c = copy();
    c.nesterov = n;
    return c;
  }

  public Optimizer withBetas(double b1, double b2) {
    require(kind == Kind.ADAM || kind == Kind.ADAMW, "beta_1/beta_2");
    Optimizer c = copy();
    c.beta1 = b1;
    c.beta2 = b2;
    return c;
  }

  public Optimizer withEpsilon(double e) {
    require(kind != Kind.SGD, "epsilon");
    if (!(e > 0)) {
      throw new IllegalArgumentException("epsilon must be > 0, got " + e);
    }
    Optimizer c = copy();
    c.epsilon = e;
    return c;
  }

  public Optimizer withAmsgrad(boolean a) {
    require(kind == Kind.ADAM || kind == Kind.ADAMW, "amsgrad");
    Optimizer c = copy();
    c.amsgrad = a;
    return c;
  }

  public Optimizer withRho(double r) {
    require(kind == Kind.RMSPROP, "rho");
    if (!(r >= 0 && r <= 1)) {
      throw new IllegalArgumentException("rho must be in [0, 1], got " + r);
    }
    Optimizer c = copy();
    c.rho = r;
    return c;
  }

  public Optimizer withCentered(boolean centeredVariant) {
    require(kind == Kind.RMSPROP, "centered");
    Optimizer c = copy();
    c.centered = centeredVariant;
    return c;
  }

  public Optimizer withInitialAccumulator(double a) {
    require(kind == Kind.ADAGRAD, "initial_accumulator_value");
    if (!(a >= 0)) {
      throw new IllegalArgumentException("initial_accumulator_value must be >= 0, got " + a);
    }
    Optimizer c = copy();
    c.initialAccumulator = a;
    return c;
  }

  /** Keras' {@code weight_decay}: {@code w -= w * decay * lr} before each update; NaN for none. */
  public Optimizer withWeightDecay(double d) {
    Optimizer c = copy();
    c.weightDecay = d;
    return c;
  }

  /** Clips each weight's gradient to this L2 norm. */
  public Optimizer withClipnorm(double bound) {
    Optimizer c = copy();
    c.clipnorm = positive(bound, "clipnorm");
    return c.checkedClipping();
  }

  /** Clips all gradients together to this global L2 norm. */
  public Optimizer withGlobalClipnorm(double bound) {
    Optimizer c = copy();
    c.globalClipnorm = positive(bound, "global_clipnorm");
    return c.checkedClipping();
  }

  /** Clips every gradient element to {@code [-bound, bound]}. */
  public Optimizer withClipvalue(double bound) {
    Optimizer c = copy();
    c.clipvalue = positive(bound, "clipvalue");
    return c.checkedClipping();
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

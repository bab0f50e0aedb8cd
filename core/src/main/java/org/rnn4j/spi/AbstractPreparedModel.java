package org.rnn4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rnn4j.Call;
import org.rnn4j.LayerStates;
import org.rnn4j.Gradients;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.Weights;

/**
 * What every prepared model shares: calls are checked ({@link CallChecker}) before the backend
 * sees them, results are assembled in Keras' shape by core, and closing is safe. Calls hold a
 * read lock and {@link #close()} the write lock, so resources are never released under a running
 * call and several calls may run at once.
 */
public abstract class AbstractPreparedModel implements PreparedModel {
  private final Model model;
  private final String backendName;
  private final CallChecker checker;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<Runnable> closeListeners = new ArrayList<>();
  private volatile boolean closed;

  protected AbstractPreparedModel(Model model, String backendName) {
    this.model = model;
    this.backendName = backendName;
    this.checker = CallChecker.of(model.architecture());
  }

  @Override
  public final Model model() {
    return model;
  }

  @Override
  public final String backendName() {
    return backendName;
  }

  @Override
  public final Result run(Call call) {
    CheckedCall checked = checker.check(call);
    lock.readLock().lock();
    try {
      ensureOpen();
      ModelExecutor.Outcome<Tensor> e = execute(checked);
      return Result.of(model.architecture(), e.outputs(), LayerStates.of(e.finalStates()));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public final Gradients gradients(Call call, Tensor target, Loss loss) {
    return gradients(call, target, loss, model.weights());
  }

  @Override
  public final Gradients gradients(Call call, Tensor target, Loss loss, Weights weights) {
    List<Tensor> values = weights == model.weights() || weights.specs().equals(model.architecture().weightSpecs())
        ? weights.values() : Weights.of(model.architecture(), weights.values()).values();
    Differentiation.check(model.architecture());
    CheckedCall checked = checker.check(call);
    // checked here when the output's shape follows from the input's (one input: an open axis is
    // its time); with several inputs the backend checks it once the output's shape is known
    int[] perSample = model.architecture().outputShape();
    if (checked.inputs().size() == 1 || java.util.Arrays.stream(perSample).allMatch(d -> d >= 0)) {
      int[] outputShape = new int[perSample.length + 1];
      outputShape[0] = checked.batch();
      for (int i = 0; i < perSample.length; i++) {
        outputShape[i + 1] = perSample[i] < 0 ? checked.steps() : perSample[i];
      }
      loss.checkTarget(outputShape, target);
    }
    lock.readLock().lock();
    try {
      ensureOpen();
      return computeGradients(checked, target, loss, values);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Computes a checked call's loss and gradients ({@link Differentiation} has accepted the model;
   * the target is checked against the first output with {@link Loss#checkTarget} unless it was
   * here) with the weights {@code weights} (the model's own, or a training step's: same count and
   * shapes). May be called by several threads at once.
   */
  protected abstract Gradients computeGradients(CheckedCall call, Tensor target, Loss loss, List<Tensor> weights);

  /**
   * Runs {@code work} as {@link #run} runs a call: under the read lock once the model is checked to
   * be open, so that {@link #close} waits for it and releases nothing under it. For work outside
   * {@link #execute} that touches resources {@link #release} frees, such as a {@link Stepper}'s.
   *
   * @throws IllegalStateException if the model is closed
   */
  protected final <T> T whileOpen(java.util.function.Supplier<T> work) {
    lock.readLock().lock();
    try {
      ensureOpen();
      return work.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** @throws IllegalStateException if the model is closed */
  protected final void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("model '" + model.architecture().name() + "' on backend '" + backendName + "' is closed");
    }
  }

  /**
   * Runs a checked call: the model's outputs and every recurrent layer's final states. May be
   * called by several threads at once.
   */
  protected abstract ModelExecutor.Outcome<Tensor> execute(CheckedCall call);

  @Override
  public final boolean isClosed() {
    return closed;
  }

  @Override
  public final void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      release();
    } finally {
      lock.writeLock().unlock();
    }
    synchronized (closeListeners) {
      closeListeners.forEach(Runnable::run);
      closeListeners.clear();
    }
  }

  /** Releases the model's resources; called once, with no call running. */
  protected abstract void release();

  void onClose(Runnable listener) {
    synchronized (closeListeners) {
      closeListeners.add(listener);
    }
  }
}

package org.rnn4j.tensorflow;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalCause;
import com.google.common.cache.RemovalNotification;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.rnn4j.Gradients;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.spi.AbstractPreparedModel;
import org.rnn4j.spi.CheckedCall;
import org.rnn4j.Tensor;
import org.rnn4j.spi.ModelExecutor;
import org.rnn4j.spi.Stepper;
import org.rnn4j.spi.Stepping;
import org.tensorflow.proto.ConfigProto;

/**
 * A model prepared on TensorFlow. It builds one graph and session per call {@link Signature}
 * (input shape, mask, initial states) the first time it meets it, and keeps the most recently used
 * {@value #MAX_PLANS}; a large model's graphs share one fed copy of its weights. Concurrent {@link #run} calls are safe: TensorFlow sessions run concurrently,
 * graph building is serialized, and a plan evicted from the cache is closed only after the runs
 * holding it finish.
 */
final class TfPreparedModel extends AbstractPreparedModel implements Stepping {
  static final int MAX_PLANS = 16;
  /**
   * Above this many bytes of weights a model's graphs are fed one shared copy instead of each
   * holding its own constants: up to {@value #MAX_PLANS} copies of a small model cost little,
   * while constants let TensorFlow prepare the weights once per graph rather than on every run.
   */
  static final long SHARED_WEIGHTS_BYTES = 4L << 20;

  private final LstmPath lstmPath;
  private final ConfigProto config;
  private final SharedWeights weights = new SharedWeights();
  /** The native tensors of this model's steppers, closed with it. */
  private final Set<TfStepper.Tensors> streams = ConcurrentHashMap.newKeySet();
  private final boolean feedWeights;
  /**
   * Plans by signature, and gradient plans by {@link GradientKey}; the least recently used beyond
   * {@value #MAX_PLANS} is evicted and closed (once no run holds it). Built under its own lock.
   */
  private final Cache<Object, GraphPlan> plans = CacheBuilder.newBuilder()
      .maximumSize(MAX_PLANS)
      .concurrencyLevel(1)
      .removalListener((RemovalNotification<Object, GraphPlan> n) -> {
        if (n.getCause() != RemovalCause.REPLACED) {
          n.getValue().close();
        }
      })
      .build();

  /** What a gradient graph is built for: a call signature and a loss. */
  private record GradientKey(Signature signature, Loss loss) {}

  TfPreparedModel(Model model, LstmPath lstmPath, ConfigProto config) {
    super(model, TensorFlowBackendProvider.NAME);
    this.lstmPath = lstmPath;
    this.config = config;
    this.feedWeights = 4L * model.weights().values().stream().mapToLong(Tensor::size).sum() > SHARED_WEIGHTS_BYTES;
  }

  /** Whether this model's graphs share one fed copy of its weights (for tests). */
  boolean sharesWeights() {
    return feedWeights;
  }

  @Override
  protected ModelExecutor.Outcome<Tensor> execute(CheckedCall call) {
    GraphPlan plan = plan(Signature.of(call), null);
    try {
      return plan.run(call, weights);
    } finally {
      plan.release();
    }
  }

  @Override
  protected Gradients computeGradients(CheckedCall call, Tensor target, Loss loss, List<Tensor> weights) {
    GraphPlan plan = plan(Signature.of(call), loss);
    try {
      return plan.gradients(call, target, loss, weights);
    } finally {
      plan.release();
    }
  }

  @Override
  public Stepper stepper(int batch, Set<Integer> carried) {
    return TfStepper.of(this, batch, carried, streams);
  }

  /** Runs a stepper's work as a call runs: with the model checked open, and closing it waiting. */
  <T> T whileOpenForStream(Supplier<T> work) {
    return whileOpen(work);
  }

  /** The weights fed to graphs of a large model. */
  SharedWeights sharedWeights() {
    return weights;
  }

  /** The plan for a signature (and a loss to differentiate, or null), held for one run until {@link GraphPlan#release}. */
  GraphPlan plan(Signature sig, Loss loss) {
    Object key = loss == null ? sig : new GradientKey(sig, loss);
    synchronized (plans) {
      GraphPlan plan = plans.getIfPresent(key);
      if (plan == null || !plan.acquire()) {
        plan = new GraphPlan(model(), sig, lstmPath, config, loss, feedWeights);
        plan.acquire();
        plans.put(key, plan);
      }
      return plan;
    }
  }

  /** The number of graphs built and cached (for tests). */
  int cachedPlans() {
    synchronized (plans) {
      plans.cleanUp();
      return (int) plans.size();
    }
  }

  /** The types of the operations in the cached graphs (for tests). */
  Set<String> operationTypes() {
    synchronized (plans) {
      Set<String> types = new java.util.TreeSet<>();
      plans.asMap().values().forEach(plan -> types.addAll(plan.operationTypes()));
      return types;
    }
  }

  @Override
  protected void release() {
    List.copyOf(streams).forEach(TfStepper.Tensors::run);
    synchronized (plans) {
      plans.invalidateAll();
      plans.cleanUp();
    }
    weights.close();
  }
}

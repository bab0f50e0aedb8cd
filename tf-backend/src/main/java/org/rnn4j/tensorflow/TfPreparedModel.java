package org.rnn4j.tensorflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.Gradients;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.spi.AbstractPreparedModel;
import org.rnn4j.spi.CheckedCall;
import org.rnn4j.Tensor;
import org.rnn4j.spi.ModelExecutor;
import org.tensorflow.proto.ConfigProto;

/**
 * A model prepared on TensorFlow. It builds one graph and session per call {@link Signature}
 * (input shape, mask, initial states) the first time it meets it, and keeps the most recently used
 * {@value #MAX_PLANS}. Concurrent {@link #run} calls are safe: TensorFlow sessions run concurrently,
 * graph building is serialized, and a plan evicted from the cache is closed only after the runs
 * holding it finish.
 */
final class TfPreparedModel extends AbstractPreparedModel {
  static final int MAX_PLANS = 16;

  private final LstmPath lstmPath;
  private final ConfigProto config;
  /** Plans by signature, and gradient plans by {@link GradientKey}. */
  private final Map<Object, GraphPlan> plans = new LinkedHashMap<>(16, 0.75f, true);

  /** What a gradient graph is built for: a call signature and a loss. */
  private record GradientKey(Signature signature, Loss loss) {}

  TfPreparedModel(Model model, LstmPath lstmPath, ConfigProto config) {
    super(model, TensorFlowBackendProvider.NAME);
    this.lstmPath = lstmPath;
    this.config = config;
  }

  @Override
  protected ModelExecutor.Outcome<Tensor> execute(CheckedCall call) {
    GraphPlan plan = plan(Signature.of(call), null);
    try {
      return plan.run(call);
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

  /** The plan for a signature (and a loss to differentiate, or null), held for one run. */
  private GraphPlan plan(Signature sig, Loss loss) {
    Object key = loss == null ? sig : new GradientKey(sig, loss);
    synchronized (plans) {
      GraphPlan plan = plans.get(key);
      if (plan == null || !plan.acquire()) {
        plan = new GraphPlan(model(), sig, lstmPath, config, loss);
        plans.put(key, plan);
        plan.acquire();
        if (plans.size() > MAX_PLANS) {
          Map.Entry<Object, GraphPlan> eldest = plans.entrySet().iterator().next();
          plans.remove(eldest.getKey());
          eldest.getValue().close();
        }
      }
      return plan;
    }
  }

  /** The number of graphs built and cached (for tests). */
  int cachedPlans() {
    synchronized (plans) {
      return plans.size();
    }
  }

  @Override
  protected void release() {
    synchronized (plans) {
      new ArrayList<>(plans.values()).forEach(GraphPlan::close);
      plans.clear();
    }
  }
}

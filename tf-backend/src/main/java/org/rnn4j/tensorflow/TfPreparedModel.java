package org.rnn4j.tensorflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
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
  private final Map<Signature, GraphPlan> plans = new LinkedHashMap<>(16, 0.75f, true);

  TfPreparedModel(Model model, LstmPath lstmPath, ConfigProto config) {
    super(model, TensorFlowBackendProvider.NAME);
    this.lstmPath = lstmPath;
    this.config = config;
  }

  @Override
  protected ModelExecutor.Outcome<Tensor> execute(CheckedCall call) {
    GraphPlan plan = plan(Signature.of(call));
    try {
      return plan.run(call);
    } finally {
      plan.release();
    }
  }

  /** The plan for a signature, held for one run. */
  private GraphPlan plan(Signature sig) {
    synchronized (plans) {
      GraphPlan plan = plans.get(sig);
      if (plan == null || !plan.acquire()) {
        plan = new GraphPlan(model(), sig, lstmPath, config);
        plans.put(sig, plan);
        plan.acquire();
        if (plans.size() > MAX_PLANS) {
          Map.Entry<Signature, GraphPlan> eldest = plans.entrySet().iterator().next();
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

package org.rnn4j.tensorflow;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.spi.CheckedCall;
import org.rnn4j.spi.ModelExecutor;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * One model's graph for one {@link Signature}: built once with the weights as constants, run in
 * its own session as often as needed. Inputs cross as TensorFlow tensors made from the caller's
 * arrays and closed after the run, as are all fetched tensors. A plan is closed when no run holds
 * it any more (see {@link #acquire}).
 */
final class GraphPlan implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final List<Placeholder<TFloat32>> inputs = new ArrayList<>();
  private final Placeholder<TFloat32> mask;
  private final Map<Integer, List<Placeholder<TFloat32>>> states = new HashMap<>();
  private final List<Operand<TFloat32>> fetches = new ArrayList<>();
  private final List<int[]> fetchShapes = new ArrayList<>();
  /** For each returned tensor (outputs, then final states), its index in {@link #fetches}. */
  private final List<Integer> slots = new ArrayList<>();
  private final int outputCount;
  private final Map<Integer, Integer> stateCounts = new java.util.TreeMap<>();
  private final AtomicInteger holders = new AtomicInteger(1);

  GraphPlan(Model model, Signature sig, LstmPath lstmPath, ConfigProto config) {
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      GraphOps g = new GraphOps(tf);
      int[] shape = sig.shape();
      List<Node> inputNodes = new ArrayList<>();
      for (int k = 0; k < sig.inputShapes().size(); k++) {
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(GraphOps.shape(sig.shape(k))));
        inputs.add(p);
        inputNodes.add(new Node(p, sig.shape(k)));
      }
      mask = sig.mask() ? tf.placeholder(TFloat32.class, Placeholder.shape(GraphOps.shape(shape[0], shape[1]))) : null;
      Map<Integer, List<Node>> initial = new HashMap<>();
      for (int layer : sig.statefulLayers()) {
        List<Placeholder<TFloat32>> ps = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (int size : model.architecture().stateSizes(layer)) {
          Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(GraphOps.shape(shape[0], size)));
          ps.add(p);
          nodes.add(new Node(p, new int[] {shape[0], size}));
        }
        states.put(layer, ps);
        initial.put(layer, nodes);
      }
      ModelExecutor.Outcome<Node> outcome =
          ModelExecutor.run(
              model.architecture(), ModelExecutor.layerWeights(model.architecture(), model.weights()), new TfKernels(g, lstmPath),
              inputNodes, mask == null ? null : new Node(mask, new int[] {shape[0], shape[1]}), initial);
      for (Node n : outcome.outputs()) {
        fetch(n);
      }
      outputCount = outcome.outputs().size();
      for (Map.Entry<Integer, List<Node>> e : outcome.finalStates().entrySet()) {
        stateCounts.put(e.getKey(), e.getValue().size());
        for (Node n : e.getValue()) {
          fetch(n);
        }
      }
      session = new Session(graph, config);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Adds {@code n} to what a run returns; a tensor asked for twice (a graph output that is also a
   * layer's final state) is fetched once, as TensorFlow requires.
   */
  private void fetch(Node n) {
    int index = -1;
    for (int i = 0; i < fetches.size() && index < 0; i++) {
      index = fetches.get(i).asOutput().equals(n.op().asOutput()) ? i : -1;
    }
    if (index < 0) {
      index = fetches.size();
      fetches.add(n.op());
      fetchShapes.add(n.shape());
    }
    slots.add(index);
  }

  /** Runs a call whose signature is this plan's. */
  ModelExecutor.Outcome<Tensor> run(CheckedCall call) {
    List<TFloat32> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int k = 0; k < inputs.size(); k++) {
        runner.feed(inputs.get(k), feed(call.inputs().get(k), fed));
      }
      if (mask != null) {
        runner.feed(mask, feed(call.mask().toTensor(), fed));
      }
      for (Map.Entry<Integer, List<Placeholder<TFloat32>>> e : states.entrySet()) {
        List<Tensor> values = call.initialStates().get(e.getKey());
        for (int s = 0; s < values.size(); s++) {
          runner.feed(e.getValue().get(s), feed(values.get(s), fed));
        }
      }
      fetches.forEach(runner::fetch);
      try (Result result = runner.run()) {
        List<Tensor> fetched = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
          TFloat32 t = (TFloat32) result.get(i);
          float[] data = new float[(int) t.size()];
          t.asRawTensor().data().asFloats().read(data);
          fetched.add(Tensor.wrap(fetchShapes.get(i), data));
        }
        List<Tensor> out = new ArrayList<>();
        slots.forEach(i -> out.add(fetched.get(i)));
        Map<Integer, List<Tensor>> finals = new java.util.TreeMap<>();
        int pos = outputCount;
        for (Map.Entry<Integer, Integer> e : stateCounts.entrySet()) {
          finals.put(e.getKey(), List.copyOf(out.subList(pos, pos + e.getValue())));
          pos += e.getValue();
        }
        return new ModelExecutor.Outcome<>(List.copyOf(out.subList(0, outputCount)), finals);
      }
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  /** A TensorFlow tensor holding a copy of {@code t}'s elements (one copy, from its buffer). */
  private static TFloat32 feed(Tensor t, List<TFloat32> fed) {
    FloatBuffer data = t.buffer();
    TFloat32 tensor = TFloat32.tensorOf(GraphOps.shape(t.shape()), DataBuffers.of(data));
    fed.add(tensor);
    return tensor;
  }

  /** Takes a hold on the plan for one run; false if it is already closed. */
  boolean acquire() {
    while (true) {
      int h = holders.get();
      if (h == 0) {
        return false;
      }
      if (holders.compareAndSet(h, h + 1)) {
        return true;
      }
    }
  }

  /** Releases a hold; the last release closes the graph and session. */
  void release() {
    if (holders.decrementAndGet() == 0) {
      session.close();
      graph.close();
    }
  }

  /** Drops the cache's own hold; the plan closes once no run holds it. */
  @Override
  public void close() {
    release();
  }
}

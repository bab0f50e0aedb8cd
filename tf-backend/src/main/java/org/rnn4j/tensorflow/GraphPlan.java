package org.rnn4j.tensorflow;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnn4j.Gradients;
import org.rnn4j.LayerStates;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.Shapes;
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
 * One model's graph for one {@link Signature}: built once, run in its own session as often as
 * needed. A plan that runs the model holds a small model's weights as constants (TensorFlow folds
 * their preparation, such as the fused LSTM's joined kernel, into the graph once), and is fed a
 * large model's from the prepared model's {@link SharedWeights} (one native copy for all its
 * graphs). A plan for a {@link Loss} is fed the weights of each call (so one plan serves every
 * training step), its recurrent layers are
 * unrolled composite ops (TensorFlow has no gradient for the fused LSTM op), and TensorFlow adds
 * the gradients of the loss of the first output with respect to the weights, the float inputs and
 * the fed initial states. Inputs cross as TensorFlow tensors made from the caller's
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
  /**
   * Fetched tensors of at most this many elements are joined into one fetched tensor: each
   * fetched tensor costs a native allocation and a hand-over (about 2 µs here), more than
   * copying this many floats once more.
   */
  static final int JOIN_MAX_ELEMENTS = 1 << 12;
  /** What {@link #run} and {@link #gradients} fetch: the joined small tensors (if any) first, then the others. */
  private final List<Operand<TFloat32>> runFetches = new ArrayList<>();
  /** For each of {@link #fetches}: its index in {@link #runFetches}, or -1 where it is part of the joined tensor. */
  private int[] runSlots;
  /** For each of {@link #fetches} joined: its offset in the joined tensor. */
  private int[] joinedOffsets;
  private boolean joins;
  /** For each returned tensor (outputs, then final states), its index in {@link #fetches}. */
  private final List<Integer> slots = new ArrayList<>();
  private final int outputCount;
  private final Map<Integer, Integer> stateCounts = new java.util.TreeMap<>();
  private final AtomicInteger holders = new AtomicInteger(1);
  /** The model, the weights' placeholders (null where unused); for a loss, its target placeholder and what to differentiate by. */
  private final Model model;
  private final Placeholder<TFloat32> target;
  private final List<Placeholder<TFloat32>> weights = new ArrayList<>();
  private final List<Operand<TFloat32>> differentiated = new ArrayList<>();
  /** For a loss: the first output's shape, which the target must fit. */
  private int[] outputShape;

  /**
   * @param loss the loss to differentiate, or null for a plan that runs the model
   * @param feedWeights for a plan that runs the model: whether its weights are fed from {@link
   *     SharedWeights} rather than written into the graph as constants
   */
  GraphPlan(Model model, Signature sig, LstmPath lstmPath, ConfigProto config, Loss loss, boolean feedWeights) {
    this.model = model;
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      GraphOps g = new GraphOps(tf, loss != null || feedWeights);
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
              model.architecture(), ModelExecutor.layerWeights(model.architecture(), model.weights()),
              new TfKernels(g, loss != null ? LstmPath.COMPOSITE : lstmPath, config.getIntraOpParallelismThreads()),
              inputNodes, mask == null ? null : new Node(mask, new int[] {shape[0], shape[1]}), initial);
      List<Node> returned = outcome.outputs();
      if (loss != null) {
        target = differentiate(g, loss, outcome);
        returned = returned.subList(0, 1); // the prediction the loss saw
      } else {
        target = null;
        for (Tensor w : model.weights().values()) {
          weights.add(feedWeights ? g.fedWeight(w) : null); // null where constant or read by no operation
        }
      }
      for (Node n : returned) {
        fetch(n);
      }
      outputCount = returned.size();
      for (Map.Entry<Integer, List<Node>> e : outcome.finalStates().entrySet()) {
        stateCounts.put(e.getKey(), e.getValue().size());
        for (Node n : e.getValue()) {
          fetch(n);
        }
      }
      planRunFetches(g);
      session = new Session(graph, config);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Builds the loss of the first output and its gradients: fetches are the loss, then the
   * gradient of every weight, every float input and every fed initial state (zeros are filled in
   * for those the loss does not reach, which TensorFlow refuses to differentiate by).
   */
  private Placeholder<TFloat32> differentiate(GraphOps g, Loss loss, ModelExecutor.Outcome<Node> outcome) {
    Node output = outcome.outputs().get(0);
    outputShape = output.shape();
    int[] targetShape = loss.kind() == Loss.Kind.SPARSE_CATEGORICAL_CROSSENTROPY
        ? java.util.Arrays.copyOf(output.shape(), output.shape().length - 1) : output.shape();
    Placeholder<TFloat32> y = g.tf.placeholder(TFloat32.class, Placeholder.shape(GraphOps.shape(targetShape)));
    Operand<TFloat32> value = TfLosses.scalar(g, loss, output, y, outcome.outputMask(0));
    fetches.add(value);
    fetchShapes.add(new int[0]);
    for (Tensor w : model.weights().values()) {
      weights.add(g.fedWeight(w));
      // a weight no operation reads (the preprocessing Normalization's count) stands as zeros, which the loss does not reach
      differentiated.add(g.fedWeight(w) != null ? g.fedWeight(w) : g.zeros(w.shape()));
      fetchShapes.add(w.shape());
    }
    for (int k = 0; k < inputs.size(); k++) {
      differentiated.add(model.architecture().inputs().get(k).integerIds() ? null : inputs.get(k));
      fetchShapes.add(GraphOps.dims(inputs.get(k)));
    }
    for (List<Placeholder<TFloat32>> ps : states.values()) {
      for (Placeholder<TFloat32> p : ps) {
        differentiated.add(p);
        fetchShapes.add(GraphOps.dims(p));
      }
    }
    java.util.Set<String> reached = reachable(value);
    List<org.tensorflow.Output<?>> xs = new ArrayList<>();
    for (Operand<TFloat32> x : differentiated) {
      if (x != null && reached.contains(x.op().name())) {
        xs.add(x.asOutput());
      }
    }
    org.tensorflow.Output<?>[] dx = graph.addGradients(value.asOutput(), xs.toArray(new org.tensorflow.Output<?>[0]));
    int next = 0;
    for (int i = 0; i < differentiated.size(); i++) {
      Operand<TFloat32> x = differentiated.get(i);
      if (x == null) {
        fetches.add(null); // an input of ids: no gradient
      } else if (reached.contains(x.op().name())) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> d = (Operand<TFloat32>) dx[next++];
        fetches.add(d);
      } else {
        fetches.add(g.tf.zerosLike(x));
      }
    }
    return y;
  }

  /** The names of the operations {@code y} depends on. */
  private static java.util.Set<String> reachable(Operand<?> y) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.ArrayDeque<org.tensorflow.GraphOperation> todo = new java.util.ArrayDeque<>();
    todo.add((org.tensorflow.GraphOperation) y.op());
    while (!todo.isEmpty()) {
      org.tensorflow.GraphOperation op = todo.pop();
      if (seen.add(op.name())) {
        for (int i = 0; i < op.numInputs(); i++) {
          todo.add((org.tensorflow.GraphOperation) op.input(i).op());
        }
      }
    }
    return seen;
  }

  /**
   * Adds {@code n} to what a run returns; a tensor asked for twice (a graph output that is also a
   * layer's final state) is fetched once, as TensorFlow requires.
   */
  private void fetch(Node n) {
    int index = -1;
    for (int i = 0; i < fetches.size() && index < 0; i++) {
      index = fetches.get(i) != null && fetches.get(i).asOutput().equals(n.op().asOutput()) ? i : -1;
    }
    if (index < 0) {
      index = fetches.size();
      fetches.add(n.op());
      fetchShapes.add(n.shape());
    }
    slots.add(index);
  }

  /**
   * Decides what {@link #run} and {@link #gradients} fetch: every small tensor flattened into one
   * joined tensor (when there are two or more), each other tensor alone. A stream's {@link
   * #runStep} still fetches the tensors one by one, as it feeds the states back.
   */
  private void planRunFetches(GraphOps g) {
    runSlots = new int[fetches.size()];
    joinedOffsets = new int[fetches.size()];
    List<Operand<TFloat32>> flat = java.util.stream.IntStream.range(0, fetches.size()).filter(this::small)
        .mapToObj(i -> g.reshape(fetches.get(i), -1)).toList();
    joins = flat.size() > 1;
    if (joins) {
      runFetches.add(g.tf.concat(flat, g.tf.constant(0)));
    }
    int offset = 0;
    for (int i = 0; i < fetches.size(); i++) {
      if (joins && small(i)) {
        runSlots[i] = -1;
        joinedOffsets[i] = offset;
        offset += Shapes.elementCount(fetchShapes.get(i));
      } else if (fetches.get(i) != null) {
        runSlots[i] = runFetches.size();
        runFetches.add(fetches.get(i));
      }
    }
  }

  /** Whether the {@code i}-th fetched tensor is small enough to be joined. */
  private boolean small(int i) {
    return fetches.get(i) != null && Shapes.elementCount(fetchShapes.get(i)) <= JOIN_MAX_ELEMENTS;
  }

  /** Runs a call whose signature is this plan's, with the prepared model's weights where they are fed. */
  ModelExecutor.Outcome<Tensor> run(CheckedCall call, SharedWeights shared) {
    List<TFloat32> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      feedCall(runner, call, fed);
      feedShared(runner, shared);
      try (Result result = runner.run()) {
        return returned(fetched(result));
      }
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  /** Feeds the prepared model's shared weights where this plan reads them from placeholders. */
  private void feedShared(Session.Runner runner, SharedWeights shared) {
    List<Tensor> values = model.weights().values();
    for (int i = 0; i < values.size(); i++) {
      if (weights.get(i) != null) {
        runner.feed(weights.get(i), shared.of(values.get(i)));
      }
    }
  }

  /**
   * Runs one step of a stream on tensors the caller keeps (a plan for a one-step call whose fed
   * states are {@code layers}'): feeds {@code input} and the states, layer by layer in the order of
   * {@code layers}, as they are; copies the first output into {@code output}. Returns the run's
   * result, which holds the final states ({@link #finalState}) and which the caller closes.
   */
  Result runStep(TFloat32 input, List<Integer> layers, TFloat32[] stateTensors, SharedWeights shared, float[] output) {
    Session.Runner runner = session.runner();
    runner.feed(inputs.get(0), input);
    int k = 0;
    for (int layer : layers) {
      for (Placeholder<TFloat32> p : states.get(layer)) {
        runner.feed(p, stateTensors[k++]);
      }
    }
    feedShared(runner, shared);
    fetches.forEach(runner::fetch); // a plan that runs the model fetches no nulls
    Result result = runner.run();
    try {
      ((TFloat32) result.get(slots.get(0))).asRawTensor().data().asFloats().read(output);
      return result;
    } catch (RuntimeException | Error e) {
      result.close();
      throw e;
    }
  }

  /** The {@code k}-th final state of {@code layer} in the result of {@link #runStep}. */
  TFloat32 finalState(Result result, int layer, int k) {
    int pos = outputCount;
    for (Map.Entry<Integer, Integer> e : stateCounts.entrySet()) {
      if (e.getKey() == layer) {
        return (TFloat32) result.get(slots.get(pos + k));
      }
      pos += e.getValue();
    }
    throw new IllegalArgumentException("layer " + layer + " returns no states");
  }

  /** The outputs and final states among a run's fetched tensors. */
  private ModelExecutor.Outcome<Tensor> returned(List<Tensor> fetched) {
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

  /**
   * The loss and gradients of a call whose signature is this plan's (a plan made for a loss), at
   * the weights {@code values} (fed, so one plan serves every training step).
   */
  Gradients gradients(CheckedCall call, Tensor y, Loss loss, List<Tensor> values) {
    loss.checkTarget(outputShape, y);
    List<TFloat32> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      feedCall(runner, call, fed);
      runner.feed(target, feed(y, fed));
      for (int i = 0; i < values.size(); i++) {
        if (weights.get(i) != null) {
          runner.feed(weights.get(i), feed(values.get(i), fed));
        }
      }
      try (Result result = runner.run()) {
        List<Tensor> fetched = fetched(result);
        int pos = 1;
        List<Tensor> dWeights = fetched.subList(pos, pos += values.size());
        List<Tensor> dInputs = fetched.subList(pos, pos += inputs.size());
        Map<Integer, List<Tensor>> dStates = new java.util.TreeMap<>();
        for (Map.Entry<Integer, List<Placeholder<TFloat32>>> e : states.entrySet()) {
          dStates.put(e.getKey(), List.copyOf(fetched.subList(pos, pos += e.getValue().size())));
        }
        ModelExecutor.Outcome<Tensor> forward = returned(fetched);
        return new Gradients(fetched.get(0).getFlat(0), dWeights, dInputs, LayerStates.of(dStates), forward.outputs().get(0),
            LayerStates.of(forward.finalStates()));
      }
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  /** Feeds a call's inputs, mask and initial states. */
  private void feedCall(Session.Runner runner, CheckedCall call, List<TFloat32> fed) {
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
    runFetches.forEach(runner::fetch);
  }

  /** The fetched tensors as rnn4j tensors, in the order of {@link #fetches} (null where nothing was fetched). */
  private List<Tensor> fetched(Result result) {
    float[] joined = joins ? values((TFloat32) result.get(0)) : null;
    List<Tensor> fetched = new ArrayList<>();
    for (int i = 0; i < fetches.size(); i++) {
      int[] shape = fetchShapes.get(i);
      if (fetches.get(i) == null) {
        fetched.add(null);
      } else if (runSlots[i] < 0) {
        int from = joinedOffsets[i];
        fetched.add(Tensor.wrap(shape, java.util.Arrays.copyOfRange(joined, from, from + Shapes.elementCount(shape))));
      } else {
        fetched.add(Tensor.wrap(shape, values((TFloat32) result.get(runSlots[i]))));
      }
    }
    return fetched;
  }

  /** A TensorFlow tensor's elements in a new array. */
  static float[] values(TFloat32 t) {
    float[] data = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(data);
    return data;
  }

  /** A TensorFlow tensor holding a copy of {@code t}'s elements (one copy, from its buffer). */
  private static TFloat32 feed(Tensor t, List<TFloat32> fed) {
    FloatBuffer data = t.buffer();
    TFloat32 tensor = TFloat32.tensorOf(GraphOps.shape(t.shape()), DataBuffers.of(data));
    fed.add(tensor);
    return tensor;
  }

  /** The types of the operations in this plan's graph (for tests). */
  java.util.Set<String> operationTypes() {
    java.util.Set<String> types = new java.util.TreeSet<>();
    graph.operations().forEachRemaining(op -> types.add(op.type()));
    return types;
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

package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * A Keras functional model: a graph of layer calls. The model's inputs are nodes {@code 0 ..
 * inputs − 1}; each further {@link Node} calls one layer on tensors of earlier nodes, so the list
 * is in an order that computes every tensor before its use. A layer may be called at several
 * nodes and owns its weights once; its weights take the shapes of its first call. The graph is
 * checked when built: every reference, shape, merge and initial state, with one-line errors naming
 * the layer.
 *
 * <p>A {@link Sequential} model is the special case of one input and one chain, and stays its own
 * class.
 */
public final class Functional implements Architecture {
  /** Output {@code tensor} of node {@code node} (nodes below the input count are the model's inputs). */
  public record Ref(int node, int tensor) {}

  /**
   * A call of layer {@code layer} on {@code inputs}.
   *
   * @param masks the call's explicit mask argument (empty: none): {@code mask} of a layer on one
   *     input; for {@code MultiHeadAttention} its {@code attention_mask}, {@code (query time, value
   *     time)} per sample; for {@code Attention} its {@code mask=[query_mask, value_mask]}, either
   *     entry null
   * @param initialState the {@code initial_state} tensors (empty: none)
   * @param implicitMask whether, without an explicit mask, the first input's mask reaches the
   *     layer (Keras 3 does not pass it to a recurrent layer called with initial states)
   * @param flags the call's boolean options that are set ({@value #CAUSAL}, {@value
   *     #RETURN_SCORES} for attention layers)
   */
  public record Node(int layer, List<Ref> inputs, List<Ref> masks, List<Ref> initialState, boolean implicitMask, Set<String> flags) {
    public Node {
      inputs = List.copyOf(inputs);
      masks = java.util.Collections.unmodifiableList(new ArrayList<>(masks));
      initialState = List.copyOf(initialState);
      flags = Set.copyOf(flags);
    }

    /** A call with no options and at most one explicit mask. */
    public Node(int layer, List<Ref> inputs, Ref mask, List<Ref> initialState, boolean implicitMask) {
      this(layer, inputs, mask == null ? List.of() : List.of(mask), initialState, implicitMask, Set.of());
    }

    /** The explicit mask of a one-mask call ({@code mask}, {@code attention_mask}), or null. */
    public Ref mask() {
      return masks.size() == 1 ? masks.get(0) : null;
    }
  }

  /** An attention call's {@code use_causal_mask=True}. */
  public static final String CAUSAL = "use_causal_mask";
  /** An attention call's {@code return_attention_scores=True}. */
  public static final String RETURN_SCORES = "return_attention_scores";

  private final String name;
  private final List<InputSpec> inputs;
  private final List<String> inputNames;
  private final List<Layer> layers;
  private final List<String> names;
  private final List<Node> nodes;
  private final List<Ref> outputs;
  private final List<List<int[]>> nodeShapes = new ArrayList<>();
  private final int[] firstCall;
  private final List<WeightSpec> weightSpecs;
  private final int[] weightOffsets;
  private final List<Integer> recurrentLayers;

  private Functional(String name, List<InputSpec> inputs, List<String> inputNames, List<Layer> layers, List<Node> nodes, List<Ref> outputs) {
    this.name = name == null ? "functional" : name;
    this.inputs = List.copyOf(inputs);
    this.inputNames = List.copyOf(inputNames);
    this.layers = List.copyOf(layers);
    this.nodes = List.copyOf(nodes);
    this.outputs = List.copyOf(outputs);
    if (inputs.isEmpty() || inputs.size() != inputNames.size()) {
      throw new InvalidModelException("model '" + this.name + "': needs at least one named input");
    }
    if (outputs.isEmpty()) {
      throw new InvalidModelException("model '" + this.name + "': has no outputs");
    }
    if (new HashSet<>(inputNames).size() != inputNames.size()) {
      throw new InvalidModelException("model '" + this.name + "': two inputs share a name " + inputNames);
    }
    this.names = Sequential.layerNames(this.layers, Set.copyOf(inputNames));
    for (InputSpec in : inputs) {
      nodeShapes.add(List.of(in.shape()));
    }
    firstCall = new int[layers.size()];
    Arrays.fill(firstCall, -1);
    List<List<WeightSpec>> layerSpecs = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      layerSpecs.add(null);
    }
    for (int n = 0; n < nodes.size(); n++) {
      Node node = nodes.get(n);
      int self = inputs.size() + n;
      if (node.layer() < 0 || node.layer() >= layers.size()) {
        throw new InvalidModelException("node " + n + " calls layer " + node.layer() + ", which does not exist");
      }
      Layer layer = layers.get(node.layer());
      String where = describe(node.layer());
      List<int[]> ins = new ArrayList<>();
      for (Ref r : node.inputs()) {
        ins.add(shapeOf(r, self, where));
      }
      try {
        List<int[]> outs = outputShapes(layer, ins, node.flags());
        List<WeightSpec> specs = layer instanceof MultiHeadAttention m ? m.weightSpecs(ins) : layer.weightSpecs(ins.isEmpty() ? new int[0] : ins.get(0));
        if (layerSpecs.get(node.layer()) == null) {
          layerSpecs.set(node.layer(), specs);
          firstCall[node.layer()] = n;
        } else if (!layerSpecs.get(node.layer()).equals(specs)) {
          throw new InvalidModelException("is called again on an input of shape " + Shapes.format(ins.get(0))
              + ", which does not fit the weights of its first call");
        }
        checkCallArguments(node, layer, ins, self);
        nodeShapes.add(List.copyOf(outs));
      } catch (InvalidModelException e) {
        if (e.getMessage().startsWith(where)) {
          throw e;
        }
        String inner = e.getMessage();
        String own = LayerShapes.describe(layer);
        if (inner.startsWith(own)) {
          inner = inner.substring(own.length()).replaceFirst("^:? *", "");
        }
        throw new InvalidModelException(where + ": " + inner, e);
      }
    }
    for (Ref r : outputs) {
      shapeOf(r, inputs.size() + nodes.size(), "the model's outputs");
    }
    List<WeightSpec> specs = new ArrayList<>();
    weightOffsets = new int[layers.size() + 1];
    List<Integer> recurrent = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      if (layerSpecs.get(i) == null) {
        throw new InvalidModelException(describe(i) + " is never called");
      }
      for (WeightSpec w : layerSpecs.get(i)) {
        specs.add(w.prefixed(names.get(i)));
      }
      weightOffsets[i + 1] = specs.size();
      if (layers.get(i) instanceof RNN || layers.get(i) instanceof Bidirectional) {
        recurrent.add(i);
      }
    }
    this.weightSpecs = List.copyOf(specs);
    this.recurrentLayers = List.copyOf(recurrent);
  }

  /** A builder that wires layer calls as Keras' functional API does. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Wires a functional model call by call, as Keras' functional API does:
   *
   * <pre>{@code
   * Functional.Builder b = Functional.builder();
   * Functional.Ref ids = b.input("ids", InputSpec.ids(-1));
   * Functional.Ref mask = b.call(Operation.of(Operation.Kind.NOT_EQUAL, "NotEqual", Arrays.asList(null, 0f), null), ids).get(0);
   * List<Functional.Ref> lstm = b.call(LSTM.builder(8).returnState(true).build(), List.of(b.call(embedding, ids).get(0)), mask, List.of());
   * Functional encoder = b.build("encoder", lstm.get(1), lstm.get(2));    // outputs [h, c]
   * }</pre>
   *
   * Declare every input before the first call; calling one layer object again shares it.
   */
  public static final class Builder {
    private final List<InputSpec> inputs = new ArrayList<>();
    private final List<String> inputNames = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Ref> calls = new ArrayList<>();

    private Builder() {}

    /** A model input. */
    public Ref input(String name, InputSpec spec) {
      if (!nodes.isEmpty()) {
        throw new IllegalStateException("declare every input before the first call");
      }
      inputs.add(spec);
      inputNames.add(name);
      return new Ref(inputs.size() - 1, 0);
    }

    /** Calls {@code layer} on {@code inputs}; returns its outputs (then its states, with return_state). */
    public List<Ref> call(Layer layer, Ref... inputs) {
      return call(layer, List.of(inputs), (Ref) null, List.of());
    }

    /** Calls {@code layer} with an explicit mask (or null) and initial states (or none). */
    public List<Ref> call(Layer layer, List<Ref> inputs, Ref mask, List<Ref> initialState) {
      return call(layer, inputs, mask, initialState, Set.of());
    }

    /** Calls an attention layer ({@code Attention}, {@code MultiHeadAttention}) with options ({@link #CAUSAL}, {@link #RETURN_SCORES}). */
    public List<Ref> call(Layer layer, List<Ref> inputs, Set<String> flags) {
      return call(layer, inputs, List.<Ref>of(), List.of(), flags);
    }

    /**
     * Calls {@code MultiHeadAttention} with an {@code attention_mask} ({@code (query time, value
     * time)} per sample; nonzero: attend) and options.
     */
    public List<Ref> call(Layer layer, List<Ref> inputs, Ref attentionMask, Set<String> flags) {
      return call(layer, inputs, attentionMask == null ? List.of() : List.of(attentionMask), List.of(), flags);
    }

    /** Calls {@code Attention} with explicit {@code [query_mask, value_mask]} (either null) and options. */
    public List<Ref> callWithMasks(Layer layer, List<Ref> inputs, List<Ref> masks, Set<String> flags) {
      return call(layer, inputs, masks, List.of(), flags);
    }

    private List<Ref> call(Layer layer, List<Ref> inputs, Ref mask, List<Ref> initialState, Set<String> flags) {
      return call(layer, inputs, mask == null ? List.<Ref>of() : List.of(mask), initialState, flags);
    }

    private List<Ref> call(Layer layer, List<Ref> inputs, List<Ref> masks, List<Ref> initialState, Set<String> flags) {
      int index = -1;
      for (int i = 0; i < layers.size(); i++) {
        if (layers.get(i) == layer) {
          index = i;
        }
      }
      if (index < 0) {
        layers.add(layer);
        index = layers.size() - 1;
      }
      int node = this.inputs.size() + nodes.size();
      nodes.add(new Node(index, inputs, masks, initialState, initialState.isEmpty(), flags));
      List<Ref> out = new ArrayList<>();
      int count = layer instanceof Attention || layer instanceof MultiHeadAttention ? (flags.contains(RETURN_SCORES) ? 2 : 1) : outputCount(layer);
      for (int t = 0; t < count; t++) {
        out.add(new Ref(node, t));
      }
      return List.copyOf(out);
    }

    /** The model with these outputs, checked. */
    public Functional build(String name, Ref... outputs) {
      return Functional.of(name, inputs, inputNames, layers, nodes, List.of(outputs));
    }
  }

  /** How many tensors a call of {@code layer} returns: its outputs, then its states with return_state. */
  static int outputCount(Layer layer) {
    if (layer instanceof RNN r) {
      return 1 + (r.returnState() ? r.cell().stateSizes().size() : 0);
    }
    if (layer instanceof Bidirectional b) {
      int states = b.forwardLayer().cell().stateSizes().size() + b.backwardLayer().cell().stateSizes().size();
      return (b.mergeMode() == MergeMode.NONE ? 2 : 1) + (b.returnState() ? states : 0);
    }
    return 1;
  }

  /** A functional model; see the class comment for the rules it is checked against. */
  public static Functional of(String name, List<InputSpec> inputs, List<String> inputNames, List<Layer> layers, List<Node> nodes, List<Ref> outputs) {
    return new Functional(name, inputs, inputNames, layers, nodes, outputs);
  }

  private int[] shapeOf(Ref r, int before, String where) {
    if (r.node() < 0 || r.node() >= before) {
      throw new InvalidModelException(where + ": refers to node " + r.node() + ", which is not computed before it");
    }
    List<int[]> outs = nodeShapes.get(r.node());
    if (r.tensor() < 0 || r.tensor() >= outs.size()) {
      throw new InvalidModelException(where + ": refers to output " + r.tensor() + " of " + describeNode(r.node())
          + ", which has " + outs.size() + " output" + (outs.size() == 1 ? "" : "s"));
    }
    return outs.get(r.tensor());
  }

  private void checkCallArguments(Node node, Layer layer, List<int[]> ins, int self) {
    boolean recurrent = layer instanceof RNN || layer instanceof Bidirectional;
    if (!node.initialState().isEmpty()) {
      if (!recurrent) {
        throw new InvalidModelException("is given an initial_state, but is not recurrent");
      }
      List<Integer> sizes = stateSizesOf(layer);
      if (sizes.size() != node.initialState().size()) {
        throw new InvalidModelException("takes " + sizes.size() + " initial states, got " + node.initialState().size());
      }
      for (int s = 0; s < sizes.size(); s++) {
        int[] shape = shapeOf(node.initialState().get(s), self, "initial state " + s);
        if (shape.length != 1 || shape[0] != sizes.get(s)) {
          throw new InvalidModelException("initial state " + s + " has shape " + Shapes.format(shape) + ", expected (" + sizes.get(s) + ")");
        }
      }
    }
    if (node.mask() != null && layer instanceof MultiHeadAttention) {
      int[] shape = shapeOf(node.mask(), self, "attention_mask");
      int[] q = ins.get(0);
      int[] v = ins.get(1);
      if (shape.length != 2 || !sameOrUnknown(shape[0], q[0]) || !sameOrUnknown(shape[1], v[0])) {
        throw new InvalidModelException("is given an attention_mask of shape " + Shapes.format(shape) + " for a query of shape "
            + Shapes.format(q) + " and a value of shape " + Shapes.format(v) + "; expected (query time, value time)");
      }
    } else if (!node.masks().isEmpty() && layer instanceof Attention) {
      if (node.masks().size() != 2) {
        throw new InvalidModelException("is given " + node.masks().size() + " masks; Attention takes [query_mask, value_mask]");
      }
      for (int i = 0; i < 2; i++) {
        Ref m = node.masks().get(i);
        if (m != null) {
          String what = i == 0 ? "query_mask" : "value_mask";
          int[] shape = shapeOf(m, self, what);
          int[] in = ins.get(i);
          if (shape.length != 1 || !sameOrUnknown(shape[0], in[0])) {
            throw new InvalidModelException("is given a " + what + " of shape " + Shapes.format(shape) + " for an input of shape "
                + Shapes.format(in) + "; expected (time,)");
          }
        }
      }
    } else if (node.masks().size() > 1) {
      throw new InvalidModelException("is given " + node.masks().size() + " masks, but takes one");
    } else if (node.mask() != null) {
      int[] shape = shapeOf(node.mask(), self, "mask");
      int[] in = ins.get(0);
      if (shape.length != 1 || in.length < 2 || !(shape[0] < 0 || in[0] < 0 || shape[0] == in[0])) {
        throw new InvalidModelException("is given a mask of shape " + Shapes.format(shape) + " for an input of shape " + Shapes.format(in)
            + "; a mask is (time,) for a (time, features) input");
      }
    }
  }

  private static boolean sameOrUnknown(int a, int b) {
    return a < 0 || b < 0 || a == b;
  }

  /** Every output of a call of {@code layer} on inputs of these shapes: outputs, then returned states. */
  static List<int[]> outputShapes(Layer layer, List<int[]> ins, Set<String> flags) {
    if (layer instanceof Attention || layer instanceof MultiHeadAttention) {
      List<int[]> both = layer instanceof Attention a ? a.outputShapes(ins) : ((MultiHeadAttention) layer).outputShapes(ins);
      return flags.contains(RETURN_SCORES) ? both : both.subList(0, 1);
    }
    if (!flags.isEmpty()) {
      throw new InvalidModelException("is called with " + flags + ", which only attention layers take");
    }
    if (layer instanceof Merge m) {
      return List.of(m.outputShape(ins));
    }
    if (layer instanceof NestedModel n) {
      return n.outputShapes(ins);
    }
    if (layer instanceof Operation o) {
      return List.of(o.outputShape(ins));
    }
    if (ins.size() != 1) {
      throw new InvalidModelException("takes one input, got " + ins.size());
    }
    int[] out = layer.outputShape(ins.get(0));
    List<int[]> all = new ArrayList<>();
    all.add(out);
    boolean returnsState = false;
    if (layer instanceof Bidirectional b) {
      if (b.mergeMode() == MergeMode.NONE) {
        all.add(out.clone());
      }
      returnsState = b.returnState();
    } else if (layer instanceof RNN r) {
      returnsState = r.returnState();
    }
    if (returnsState) {
      for (int size : stateSizesOf(layer)) {
        all.add(new int[] {size});
      }
    }
    return all;
  }

  private static List<Integer> stateSizesOf(Layer layer) {
    if (layer instanceof RNN r) {
      return r.cell().stateSizes();
    }
    Bidirectional b = (Bidirectional) layer;
    List<Integer> s = new ArrayList<>(b.forwardLayer().cell().stateSizes());
    s.addAll(b.backwardLayer().cell().stateSizes());
    return s;
  }

  private String describe(int layer) {
    return "layer '" + names.get(layer) + "' (" + layers.get(layer).kerasClassName() + ")";
  }

  private String describeNode(int node) {
    return node < inputs.size() ? "input '" + inputNames.get(node) + "'" : describe(nodes.get(node - inputs.size()).layer());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<InputSpec> inputs() {
    return inputs;
  }

  /** The inputs' names, in order. */
  public List<String> inputNames() {
    return inputNames;
  }

  @Override
  public List<Layer> layers() {
    return layers;
  }

  @Override
  public String layerName(int index) {
    return names.get(index);
  }

  /** The calls, in an order that computes every tensor before its use. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The model's outputs, in Keras' order. */
  public List<Ref> outputs() {
    return outputs;
  }

  /** The shapes (without batch) of node {@code node}'s outputs (inputs first, then the calls). */
  public List<int[]> nodeShapes(int node) {
    return nodeShapes.get(node).stream().map(int[]::clone).toList();
  }

  /** The first node (index into {@link #nodes()}) that calls layer {@code index}. */
  public int firstCall(int index) {
    return firstCall[index];
  }

  /** A name for what node {@code node} computes: an input's name or the called layer's. */
  public String nodeName(int node) {
    return node < inputs.size() ? inputNames.get(node) : names.get(nodes.get(node - inputs.size()).layer());
  }

  @Override
  public int[] inputShape(int index) {
    Node n = nodes.get(firstCall[index]);
    return nodeShapes.get(n.inputs().get(0).node()).get(n.inputs().get(0).tensor()).clone();
  }

  @Override
  public int[] outputShape(int index) {
    return nodeShapes.get(inputs.size() + firstCall[index]).get(0).clone();
  }

  @Override
  public List<int[]> outputShapes() {
    return outputs.stream().map(r -> nodeShapes.get(r.node()).get(r.tensor()).clone()).toList();
  }

  @Override
  public List<WeightSpec> weightSpecs() {
    return weightSpecs;
  }

  @Override
  public int weightOffset(int index) {
    return weightOffsets[index];
  }

  @Override
  public List<Integer> recurrentLayers() {
    return recurrentLayers;
  }

  /** Whether layer {@code index} is called at more than one node. */
  public boolean isShared(int index) {
    return nodes.stream().filter(n -> n.layer() == index).count() > 1;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Functional '" + name + "' inputs " + inputNames);
    for (Node n : nodes) {
      sb.append("\n  ").append(names.get(n.layer())).append(": ").append(layers.get(n.layer())).append(" <- ");
      List<String> from = new ArrayList<>();
      for (Ref r : n.inputs()) {
        from.add(nodeName(r.node()) + (r.tensor() == 0 ? "" : "[" + r.tensor() + "]"));
      }
      sb.append(String.join(", ", from));
    }
    List<String> outs = new ArrayList<>();
    for (Ref r : outputs) {
      outs.add(nodeName(r.node()) + (r.tensor() == 0 ? "" : "[" + r.tensor() + "]"));
    }
    return sb.append("\n  outputs ").append(outs).toString();
  }
}

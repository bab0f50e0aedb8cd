package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.InvalidModelException;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.Operation;

/**
 * Reads a Keras functional config ({@code Functional} in Keras 3, {@code Model}/{@code Functional}
 * in Keras 2) into a {@link Functional} graph. Each layer's {@code inbound_nodes} lists its calls;
 * a call's tensors name the producing layer, its call and the output ({@code keras_history} in
 * Keras 3, {@code [layer, node, tensor, kwargs]} in Keras 2). {@code mask} and {@code
 * initial_state} arguments are kept; {@code keras.ops} nodes and tf.keras' {@code TFOpLambda}
 * become {@link Operation}s. The graph is ordered without recursion (deep graphs cannot overflow
 * the stack), and unknown layers, calls or outputs, cycles and duplicate names are refused with
 * one line naming the layer.
 */
final class FunctionalReader {
  private final String source;
  private final KerasVersion version;
  private final LayerParser parser;

  /** One call as the config writes it, before ordering. */
  /** One call as written; {@code masks} is its explicit mask argument (empty: none; entries may be null, see {@link Functional.Node}). */
  record RawCall(String layer, int index, List<TensorId> inputs, List<TensorId> masks, List<TensorId> initialState, java.util.Set<String> flags) {}

  /** A tensor as the config names it: the producing layer, its call, the output. */
  record TensorId(String layer, int node, int tensor) {}

  FunctionalReader(String source, KerasVersion version) {
    this.source = source;
    this.version = version;
    this.parser = new LayerParser(version);
  }

  KerasModelConfig read(JsonNode config, String name) {
    JsonNode layersNode = config.get("layers");
    if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
      throw new InvalidModelException(source + ": functional model has no 'layers' list");
    }
    Map<String, Integer> inputIndex = new LinkedHashMap<>();
    List<InputSpec> inputSpecs = new ArrayList<>();
    List<int[]> declared = new ArrayList<>();
    List<Boolean> integerDtype = new ArrayList<>();
    Map<String, Integer> layerIndex = new HashMap<>();
    List<Layer> layers = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    List<RawCall> calls = new ArrayList<>();
    Map<String, Integer> callCounts = new HashMap<>();
    List<String> unsupported = new ArrayList<>();
    for (int i = 0; i < layersNode.size(); i++) {
      JsonNode entry = layersNode.get(i);
      String where = source + ": layer " + i;
      String cls = LayerParser.className(entry, where);
      String layerName = layerName(entry, where);
      if (inputIndex.containsKey(layerName) || layerIndex.containsKey(layerName)) {
        throw new InvalidModelException(source + ": two layers are named '" + layerName + "'");
      }
      boolean op = OperationParser.isOperation(entry);
      if (!op && !LayerParser.isSupported(cls)) {
        unsupported.add(cls + " '" + layerName + "' (layer " + i + ")" + LayerParser.whyUnsupported(cls));
        continue;
      }
      if (cls.equals("InputLayer")) {
        LayerParser.Parsed p = parser.parse(entry, where);
        if (p.batchInputShape() == null || p.batchInputShape().length < 2) {
          throw new InvalidModelException(where + " ('" + layerName + "'): an input needs a shape with the batch axis, got "
              + (p.batchInputShape() == null ? "none" : Arrays.toString(p.batchInputShape())));
        }
        inputIndex.put(layerName, inputIndex.size());
        declared.add(Arrays.copyOfRange(p.batchInputShape(), 1, p.batchInputShape().length));
        integerDtype.add(p.integerInput());
        continue;
      }
      Layer layer = op ? OperationParser.parse(entry, where, layerName) : parser.parse(entry, where).layer();
      layerIndex.put(layerName, layers.size());
      layers.add(layer);
      positions.add(i);
      JsonNode inbound = entry.get("inbound_nodes");
      if (inbound == null || !inbound.isArray()) {
        throw new InvalidModelException(where + " ('" + layerName + "'): has no 'inbound_nodes' list");
      }
      for (JsonNode call : inbound) {
        int index = callCounts.merge(layerName, 1, Integer::sum) - 1;
        calls.add(op ? OperationParser.call(call, layerName, index, where, this) : call(call, layerName, index, where, layer));
      }
    }
    if (!unsupported.isEmpty()) {
      throw new InvalidModelException(
          source + ": unsupported layer" + (unsupported.size() > 1 ? "s: " : ": ") + String.join(", ", unsupported));
    }
    if (inputIndex.isEmpty()) {
      throw new InvalidModelException(source + ": functional model has no InputLayer");
    }
    List<Functional.Node> nodes = new ArrayList<>();
    Map<String, Integer> nodeOf = order(calls, inputIndex, layerIndex, callCounts, nodes);
    List<Functional.Ref> outputs = new ArrayList<>();
    for (TensorId t : tensorList(config.get("output_layers"), "output_layers")) {
      outputs.add(ref(t, nodeOf, inputIndex, callCounts, "the model's output_layers"));
    }
    List<String> inputNames = new ArrayList<>(inputIndex.keySet());
    List<TensorId> declaredInputs = tensorList(config.get("input_layers"), "input_layers");
    List<String> order = new ArrayList<>();
    for (TensorId t : declaredInputs) {
      if (!inputIndex.containsKey(t.layer())) {
        throw new InvalidModelException(source + ": input_layers names '" + t.layer() + "', which is not an InputLayer of the model");
      }
      order.add(t.layer());
    }
    if (!order.isEmpty() && !order.equals(inputNames)) {
      throw new InvalidModelException(source + ": input_layers " + order + " do not list the model's InputLayers " + inputNames
          + " in their order; reordered inputs are not supported");
    }
    for (int k = 0; k < inputNames.size(); k++) {
      boolean ids = integerDtype.get(k) || feedsEmbedding(k, nodes, layers, inputIndex.size());
      int[] shape = declared.get(k);
      if (ids && shape.length != 1) {
        throw new InvalidModelException(source + ": input '" + inputNames.get(k) + "' holds integer ids and must have shape (batch, time)");
      }
      inputSpecs.add(ids ? InputSpec.ids(shape[0]) : InputSpec.of(shape));
    }
    try {
      Functional graph = Functional.of(name, inputSpecs, inputNames, layers, nodes, outputs);
      return KerasModelConfig.of(graph, positions, version, source, parser.trainingSettings());
    } catch (InvalidModelException e) {
      throw e.getMessage().startsWith(source) ? e : new InvalidModelException(source + ": " + e.getMessage(), e);
    }
  }

  /** Whether input {@code k} reaches an Embedding through Masking and dropout-like layers only: then it holds ids. */
  private static boolean feedsEmbedding(int k, List<Functional.Node> nodes, List<Layer> layers, int inputCount) {
    java.util.Set<Integer> carrying = new java.util.HashSet<>(List.of(k));
    for (int n = 0; n < nodes.size(); n++) {
      Functional.Node node = nodes.get(n);
      if (node.inputs().size() != 1 || !carrying.contains(node.inputs().get(0).node())) {
        continue;
      }
      Layer l = layers.get(node.layer());
      if (l instanceof Embedding) {
        return true;
      }
      if (l instanceof Masking || l instanceof InferenceIdentity) {
        carrying.add(inputCount + n);
      }
    }
    return false;
  }

  /**
   * Orders the calls so that every tensor is computed before it is used (Kahn's algorithm, no
   * recursion), filling {@code nodes}; returns each call's node index by "layer#call".
   */
  private Map<String, Integer> order(List<RawCall> calls, Map<String, Integer> inputIndex, Map<String, Integer> layerIndex,
      Map<String, Integer> callCounts, List<Functional.Node> nodes) {
    Map<String, RawCall> byKey = new HashMap<>();
    for (RawCall c : calls) {
      byKey.put(c.layer() + "#" + c.index(), c);
    }
    Map<String, List<String>> users = new HashMap<>();
    Map<String, Integer> waiting = new HashMap<>();
    Deque<String> ready = new ArrayDeque<>();
    for (RawCall c : calls) {
      String key = c.layer() + "#" + c.index();
      int deps = 0;
      for (TensorId t : dependencies(c)) {
        check(t, inputIndex, callCounts, "layer '" + c.layer() + "'");
        if (!inputIndex.containsKey(t.layer())) {
          users.computeIfAbsent(t.layer() + "#" + t.node(), x -> new ArrayList<>()).add(key);
          deps++;
        }
      }
      waiting.put(key, deps);
      if (deps == 0) {
        ready.add(key);
      }
    }
    Map<String, Integer> nodeOf = new HashMap<>();
    int inputs = inputIndex.size();
    while (!ready.isEmpty()) {
      String key = ready.poll();
      RawCall c = byKey.get(key);
      nodeOf.put(key, inputs + nodes.size());
      List<Functional.Ref> ins = new ArrayList<>();
      for (TensorId t : c.inputs()) {
        ins.add(ref(t, nodeOf, inputIndex, callCounts, "layer '" + c.layer() + "'"));
      }
      List<Functional.Ref> masks = new ArrayList<>();
      for (TensorId t : c.masks()) {
        masks.add(t == null ? null : ref(t, nodeOf, inputIndex, callCounts, "layer '" + c.layer() + "'"));
      }
      List<Functional.Ref> init = new ArrayList<>();
      for (TensorId t : c.initialState()) {
        init.add(ref(t, nodeOf, inputIndex, callCounts, "layer '" + c.layer() + "'"));
      }
      // Keras 3 passes the incoming mask to a call only with no initial_state; Keras 2 always does
      boolean implicitMask = version.major() < 3 || init.isEmpty();
      nodes.add(new Functional.Node(layerIndex.get(c.layer()), ins, masks, init, implicitMask, c.flags()));
      for (String user : users.getOrDefault(key, List.of())) {
        if (waiting.merge(user, -1, Integer::sum) == 0) {
          ready.add(user);
        }
      }
    }
    if (nodes.size() != calls.size()) {
      String stuck = calls.stream().filter(c -> !nodeOf.containsKey(c.layer() + "#" + c.index())).map(RawCall::layer).findFirst().orElse("?");
      throw new InvalidModelException(source + ": layer '" + stuck + "' is part of a cycle: its inputs depend on its own output");
    }
    return nodeOf;
  }

  private static List<TensorId> dependencies(RawCall c) {
    List<TensorId> all = new ArrayList<>(c.inputs());
    c.masks().stream().filter(java.util.Objects::nonNull).forEach(all::add);
    all.addAll(c.initialState());
    return all;
  }

  private void check(TensorId t, Map<String, Integer> inputIndex, Map<String, Integer> callCounts, String where) {
    if (inputIndex.containsKey(t.layer())) {
      if (t.node() != 0 || t.tensor() != 0) {
        throw new InvalidModelException(source + ": " + where + " takes tensor [" + t.node() + ", " + t.tensor() + "] of input '"
            + t.layer() + "', which has only [0, 0]");
      }
      return;
    }
    Integer count = callCounts.get(t.layer());
    if (count == null) {
      throw new InvalidModelException(source + ": " + where + " takes the output of '" + t.layer() + "', which is not a layer of the model");
    }
    if (t.node() < 0 || t.node() >= count) {
      throw new InvalidModelException(source + ": " + where + " takes call " + t.node() + " of layer '" + t.layer() + "', which is called "
          + count + " time" + (count == 1 ? "" : "s"));
    }
  }

  private Functional.Ref ref(TensorId t, Map<String, Integer> nodeOf, Map<String, Integer> inputIndex, Map<String, Integer> callCounts,
      String where) {
    check(t, inputIndex, callCounts, where);
    Integer input = inputIndex.get(t.layer());
    if (input != null) {
      return new Functional.Ref(input, 0);
    }
    return new Functional.Ref(nodeOf.get(t.layer() + "#" + t.node()), t.tensor());
  }

  /** One call of a layer, in the Keras 3 ({@code {"args", "kwargs"}}) or Keras 2 (list) form. */
  private RawCall call(JsonNode call, String layer, int index, String where, Layer parsed) {
    List<TensorId> inputs = new ArrayList<>();
    List<TensorId> masks = new ArrayList<>();
    List<TensorId> initial = new ArrayList<>();
    java.util.Set<String> flags = new java.util.HashSet<>();
    if (call.isObject()) {
      for (JsonNode arg : call.path("args")) {
        collectTensors(arg, inputs, where, layer, true);
      }
      // attention layers may take their tensors by name: [query, value, key] in that order
      TensorId[] named = new TensorId[3];
      for (Iterator<Map.Entry<String, JsonNode>> it = call.path("kwargs").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> kw = it.next();
        switch (kw.getKey()) {
          case "training" -> {}
          case "query", "value", "key" -> {
            if (!(parsed instanceof org.rnn4j.layers.MultiHeadAttention)) {
              throw new InvalidModelException(where + " ('" + layer + "'): is called with argument '" + kw.getKey() + "', which is not supported");
            }
            if (!kw.getValue().isNull()) {
              named[List.of("query", "value", "key").indexOf(kw.getKey())] = single(kw.getValue(), where, layer, kw.getKey());
            }
          }
          case "mask" -> {
            if (parsed instanceof org.rnn4j.layers.Attention && kw.getValue().isArray()) {
              // [query_mask, value_mask], either None
              for (JsonNode m : kw.getValue()) {
                masks.add(m.isNull() ? null : single(m, where, layer, "mask"));
              }
            } else if (!kw.getValue().isNull()) {
              masks.add(single(plainMaskOf(kw, parsed, where, layer), where, layer, "mask"));
            }
          }
          case "attention_mask" -> {
            if (!kw.getValue().isNull()) {
              masks.add(single(attentionMaskOf(kw, parsed, where, layer), where, layer, "attention_mask"));
            }
          }
          case "initial_state" -> collectTensors(kw.getValue(), initial, where, layer, false);
          case Functional.CAUSAL, Functional.RETURN_SCORES -> flag(kw, flags, parsed, where, layer);
          default -> {
            if (!kw.getValue().isNull()) {
              throw new InvalidModelException(where + " ('" + layer + "'): is called with argument '" + kw.getKey() + "', which is not supported");
            }
          }
        }
      }
      for (TensorId t : named) {
        if (t != null) {
          inputs.add(t);
        }
      }
      if (named[2] != null && named[1] == null) {
        throw new InvalidModelException(where + " ('" + layer + "'): is given a key without a value");
      }
    } else if (call.isArray()) {
      for (JsonNode entry : call) {
        if (!entry.isArray() || entry.size() < 3 || !entry.get(0).isTextual()) {
          throw new InvalidModelException(where + " ('" + layer + "'): an inbound tensor must be [layer, node, tensor, kwargs], got " + entry);
        }
        inputs.add(new TensorId(entry.get(0).textValue(), entry.get(1).asInt(), entry.get(2).asInt()));
        JsonNode kwargs = entry.size() > 3 ? entry.get(3) : null;
        if (kwargs != null && kwargs.isObject()) {
          // MultiHeadAttention's value and key come as [layer, node, tensor] arguments after the query
          TensorId[] named = new TensorId[2];
          for (Iterator<Map.Entry<String, JsonNode>> it = kwargs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> kw = it.next();
            switch (kw.getKey()) {
              case "training" -> {}
              case "mask" -> {
                JsonNode v = kw.getValue();
                if (parsed instanceof org.rnn4j.layers.Attention && v.isArray() && (v.isEmpty() || !v.get(0).isTextual())) {
                  // [query_mask, value_mask], either None
                  for (JsonNode m : v) {
                    masks.add(m.isNull() ? null : legacyTensor(m, where, layer));
                  }
                } else if (!v.isNull()) {
                  masks.add(legacyTensor(plainMaskOf(kw, parsed, where, layer), where, layer));
                }
              }
              case "attention_mask" -> {
                if (!kw.getValue().isNull()) {
                  masks.add(legacyTensor(attentionMaskOf(kw, parsed, where, layer), where, layer));
                }
              }
              case "value", "key" -> {
                if (!(parsed instanceof org.rnn4j.layers.MultiHeadAttention)) {
                  throw new InvalidModelException(where + " ('" + layer + "'): is called with argument '" + kw.getKey() + "', which is not supported");
                }
                if (!kw.getValue().isNull()) {
                  named[kw.getKey().equals("value") ? 0 : 1] = legacyTensor(kw.getValue(), where, layer);
                }
              }
              case Functional.CAUSAL, Functional.RETURN_SCORES -> flag(kw, flags, parsed, where, layer);
              default -> {
                if (!kw.getValue().isNull()) {
                  throw new InvalidModelException(where + " ('" + layer + "'): is called with argument '" + kw.getKey() + "', which is not supported");
                }
              }
            }
          }
          if (named[1] != null && named[0] == null) {
            throw new InvalidModelException(where + " ('" + layer + "'): is given a key without a value");
          }
          for (TensorId t : named) {
            if (t != null) {
              inputs.add(t);
            }
          }
        }
      }
      // Keras 2 hands a recurrent layer its initial states as extra inbound tensors
      if ((parsed instanceof org.rnn4j.layers.RNN || parsed instanceof org.rnn4j.layers.Bidirectional) && inputs.size() > 1) {
        initial.addAll(inputs.subList(1, inputs.size()));
        inputs = new ArrayList<>(inputs.subList(0, 1));
      }
    } else {
      throw new InvalidModelException(where + " ('" + layer + "'): an inbound node must be an object or a list, got " + call);
    }
    if (inputs.isEmpty()) {
      throw new InvalidModelException(where + " ('" + layer + "'): a call takes no tensor");
    }
    return new RawCall(layer, index, inputs, masks, initial, flags);
  }

  /** A {@code mask} argument; MultiHeadAttention takes none (its masks come from its inputs and attention_mask). */
  private static JsonNode plainMaskOf(Map.Entry<String, JsonNode> kw, Layer parsed, String where, String layer) {
    if (parsed instanceof org.rnn4j.layers.MultiHeadAttention) {
      throw new InvalidModelException(where + " ('" + layer + "'): is called with argument 'mask', which MultiHeadAttention does not take");
    }
    return kw.getValue();
  }

  /** MultiHeadAttention's {@code attention_mask} argument; refused, naming it, for any other layer. */
  private static JsonNode attentionMaskOf(Map.Entry<String, JsonNode> kw, Layer parsed, String where, String layer) {
    if (!(parsed instanceof org.rnn4j.layers.MultiHeadAttention)) {
      throw new InvalidModelException(where + " ('" + layer + "'): is called with argument 'attention_mask', which only MultiHeadAttention takes");
    }
    return kw.getValue();
  }

  /** A boolean call option of an attention layer: kept when true. */
  private static void flag(Map.Entry<String, JsonNode> kw, java.util.Set<String> flags, Layer parsed, String where, String layer) {
    if (!(parsed instanceof org.rnn4j.layers.Attention || parsed instanceof org.rnn4j.layers.MultiHeadAttention)) {
      throw new InvalidModelException(where + " ('" + layer + "'): is called with argument '" + kw.getKey() + "', which is not supported");
    }
    if (!kw.getValue().isBoolean() && !kw.getValue().isNull()) {
      throw new InvalidModelException(where + " ('" + layer + "'): argument '" + kw.getKey() + "' must be true or false, got " + kw.getValue());
    }
    if (kw.getValue().asBoolean(false)) {
      flags.add(kw.getKey());
    }
  }

  /** The tensors in a Keras 3 argument: a tensor, or a (nested) list of them. */
  void collectTensors(JsonNode arg, List<TensorId> out, String where, String layer, boolean refuseConstants) {
    if (arg.isArray()) {
      for (JsonNode a : arg) {
        collectTensors(a, out, where, layer, refuseConstants);
      }
      return;
    }
    TensorId t = tensorOrNull(arg);
    if (t != null) {
      out.add(t);
    } else if (refuseConstants || !arg.isNull()) {
      throw new InvalidModelException(where + " ('" + layer + "'): takes an argument that is not a layer output: " + abbreviate(arg));
    }
  }

  private TensorId single(JsonNode arg, String where, String layer, String what) {
    List<TensorId> ts = new ArrayList<>();
    collectTensors(arg, ts, where, layer, true);
    if (ts.size() != 1) {
      throw new InvalidModelException(where + " ('" + layer + "'): its " + what + " must be one tensor, got " + ts.size());
    }
    return ts.get(0);
  }

  /** A Keras 3 {@code __keras_tensor__} argument, or null. */
  static TensorId tensorOrNull(JsonNode arg) {
    JsonNode history = arg.path("config").path("keras_history");
    if (!arg.isObject() || !history.isArray() || history.size() < 3 || !history.get(0).isTextual()) {
      return null;
    }
    return new TensorId(history.get(0).textValue(), history.get(1).asInt(), history.get(2).asInt());
  }

  private TensorId legacyTensor(JsonNode v, String where, String layer) {
    if (v.isArray() && v.size() >= 3 && v.get(0).isTextual()) {
      return new TensorId(v.get(0).textValue(), v.get(1).asInt(), v.get(2).asInt());
    }
    throw new InvalidModelException(where + " ('" + layer + "'): its mask must be a layer output, got " + abbreviate(v));
  }

  /** {@code input_layers}/{@code output_layers}: one {@code [layer, node, tensor]} or a list of them. */
  private List<TensorId> tensorList(JsonNode node, String key) {
    List<TensorId> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isArray() && node.size() >= 3 && node.get(0).isTextual()) {
      out.add(new TensorId(node.get(0).textValue(), node.get(1).asInt(), node.get(2).asInt()));
      return out;
    }
    if (!node.isArray()) {
      throw new InvalidModelException(source + ": '" + key + "' must be a list of [layer, node, tensor], got " + abbreviate(node));
    }
    for (JsonNode t : node) {
      if (!t.isArray() || t.size() < 3 || !t.get(0).isTextual() || !t.get(1).canConvertToInt() || !t.get(2).canConvertToInt()) {
        throw new InvalidModelException(source + ": '" + key + "' must be a list of [layer, node, tensor], got " + abbreviate(t));
      }
      out.add(new TensorId(t.get(0).textValue(), t.get(1).asInt(), t.get(2).asInt()));
    }
    return out;
  }

  static String layerName(JsonNode layer, String where) {
    JsonNode n = layer.get("name");
    if (n == null || !n.isTextual()) {
      n = layer.path("config").get("name");
    }
    if (n == null || !n.isTextual()) {
      throw new InvalidModelException(where + ": a functional model layer has no name");
    }
    return n.textValue();
  }

  static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  /** Builds a TensorId for {@link OperationParser}. */
  static TensorId tensorId(String layer, int node, int tensor) {
    return new TensorId(layer, node, tensor);
  }

  static RawCall rawCall(String layer, int index, List<TensorId> inputs) {
    return new RawCall(layer, index, inputs, List.of(), List.of(), java.util.Set.of());
  }
}

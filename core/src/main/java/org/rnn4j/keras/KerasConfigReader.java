package org.rnn4j.keras;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Limits;
import org.rnn4j.ResourceLimitException;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.Layer;

/**
 * Reads Keras model configurations from JSON ({@code model.to_json()}, {@code config.json} of a
 * {@code .keras} file, the {@code model_config} attribute of an {@code .h5} file, or one
 * serialized layer), in the Keras 1, 2 and 3 forms:
 *
 * <ul>
 *   <li>a single layer: {@code {"class_name": "LSTM", "config": {...}}};
 *   <li>{@code Sequential}, with {@code "config": {"layers": [...]}} or, as older Keras wrote it,
 *       {@code "config": [...]};
 *   <li>a functional {@code Model}/{@code Functional}: a graph ({@link FunctionalReader}).
 * </ul>
 *
 * Layers rnn4j does not support are refused together, in one message that lists them.
 */
public final class KerasConfigReader {
  /** The last mapper built, with the limits it enforces (limits rarely change). */
  private static volatile Map.Entry<Limits, ObjectMapper> mapper;

  private KerasConfigReader() {}

  /**
   * Reads a JSON config file.
   *
   * @throws FileFormatException if the file is missing or not JSON
   * @throws InvalidModelException if the config names unsupported layers or arguments
   */
  public static KerasModelConfig read(Path file) {
    return read(file, Limits.current());
  }

  /**
   * Reads a JSON config file within {@code limits} (its size and nesting depth).
   *
   * @throws FileFormatException if the file is missing or not JSON
   * @throws ResourceLimitException if it is larger or deeper than the limits
   * @throws InvalidModelException if the config names unsupported layers or arguments
   */
  public static KerasModelConfig read(Path file, Limits limits) {
    return parse(parseJson(readJson(file, limits), file.toString(), limits), file.toString(), null);
  }

  /** The text of a JSON file, refusing one larger than {@code limits} allow before reading it. */
  static String readJson(Path file, Limits limits) {
    try {
      long size = Files.size(file);
      if (size > limits.jsonBytes()) {
        throw new ResourceLimitException(file + ": JSON document of " + Limits.formatBytes(size) + ", more than the "
            + Limits.formatBytes(limits.jsonBytes()) + " allowed (limit rnn4j.limits.jsonBytes)");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new FileFormatException(file + ": no such file");
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses a JSON document (the whole of it) into a tree within the current limits. */
  public static JsonNode parseJson(String json, String source) {
    return parseJson(json, source, Limits.current());
  }

  /** Parses a JSON document (the whole of it) into a tree within {@code limits}' size and depth. */
  public static JsonNode parseJson(String json, String source, Limits limits) {
    try {
      JsonNode root = mapper(limits).readTree(json);
      if (root == null || root.isMissingNode()) {
        throw new FileFormatException(source + ": empty JSON document");
      }
      return root;
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage();
      if (msg != null && (msg.contains("nesting depth") || msg.contains("length"))) {
        throw new ResourceLimitException(source + ": JSON exceeds limits: " + msg);
      }
      throw new FileFormatException(source + ": not valid JSON: " + (msg == null ? e.toString() : msg.split("\n")[0]));
    }
  }

  private static ObjectMapper mapper(Limits limits) {
    Map.Entry<Limits, ObjectMapper> m = mapper;
    if (m != null && m.getKey() == limits) {
      return m.getValue();
    }
    int chars = (int) Math.min(Integer.MAX_VALUE - 8, limits.jsonBytes());
    ObjectMapper built = new ObjectMapper(
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.jsonDepth())
                    .maxDocumentLength(chars)
                    .maxNumberLength(100)
                    .maxStringLength(chars)
                    .build())
            .build());
    mapper = Map.entry(limits, built);
    return built;
  }

  /**
   * Parses a config.
   *
   * @param fileVersion the {@code keras_version} the containing file records, or null
   */
  public static KerasModelConfig parse(String json, String source, KerasVersion fileVersion) {
    return parse(parseJson(json, source), source, fileVersion);
  }

  /** Parses a config already read as JSON. */
  public static KerasModelConfig parse(JsonNode root, String source, KerasVersion fileVersion) {
    if (!root.isObject()) {
      throw new InvalidModelException(source + ": a Keras config must be a JSON object");
    }
    KerasVersion version = fileVersion != null ? fileVersion : versionOf(root);
    String cls = LayerParser.className(root, source);
    List<JsonNode> layerNodes;
    String name;
    int[] modelInput = null;
    JsonNode config = root.get("config");
    switch (cls) {
      case "Sequential" -> {
        JsonNode layers = config != null && config.isArray() ? config : config == null ? null : config.get("layers");
        if (layers == null || !layers.isArray()) {
          throw new InvalidModelException(source + ": Sequential config has no 'layers' list");
        }
        layerNodes = new ArrayList<>();
        layers.forEach(layerNodes::add);
        name = config.isObject() && config.path("name").isTextual() ? config.get("name").textValue() : "sequential";
        modelInput = config.isObject() ? shapeOrNull(config.get("build_input_shape")) : null;
      }
      case "Functional", "Model" -> {
        if (config == null || !config.isObject()) {
          throw new InvalidModelException(source + ": functional model has no config object");
        }
        return new FunctionalReader(source, version).read(config, config.path("name").isTextual() ? config.get("name").textValue() : "model");
      }
      default -> {
        layerNodes = List.of(root);
        name = config != null && config.path("name").isTextual() ? config.get("name").textValue() : "model";
        modelInput = shapeOrNull(root.path("build_config").get("input_shape"));
      }
    }
    refuseUnsupported(layerNodes, source);
    LayerParser parser = new LayerParser(version);
    List<Layer> layers = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    int[] declared = null;
    boolean integerInput = false;
    for (int i = 0; i < layerNodes.size(); i++) {
      LayerParser.Parsed p = parser.parse(layerNodes.get(i), source + ": layer " + i);
      if (layers.isEmpty() && declared == null && p.batchInputShape() != null) {
        declared = p.batchInputShape();
      }
      if (p.layer() == null && p.integerInput()) {
        integerInput = true;
      }
      if (p.layer() != null) {
        layers.add(p.layer());
        positions.add(i);
      }
    }
    if (layers.isEmpty()) {
      throw new InvalidModelException(source + ": the model has no layers");
    }
    if (declared == null && modelInput != null) {
      declared = modelInput;
    }
    InputSpec input = null;
    if (declared != null) {
      if (declared.length < 2) {
        throw new InvalidModelException(source + ": declared input shape must include the batch axis, got " + java.util.Arrays.toString(declared));
      }
      int[] withoutBatch = java.util.Arrays.copyOfRange(declared, 1, declared.length);
      if (idsFirst(layers) || integerInput) {
        if (withoutBatch.length != 1) {
          throw new InvalidModelException(source + ": an integer-id input must have shape (batch, time)");
        }
        input = InputSpec.ids(withoutBatch[0]);
      } else {
        input = InputSpec.of(withoutBatch);
      }
    } else if (idsFirst(layers)) {
      input = InputSpec.ids(-1);
    }
    return KerasModelConfig.chain(name, List.copyOf(layers), List.copyOf(positions), input, version, source, parser.trainingSettings());
  }

  /**
   * Whether the input feeds an Embedding through Masking and dropout-like layers only: then it
   * holds token ids, whatever dtype the input declares (Keras' Embedding casts them to integers).
   */
  private static boolean idsFirst(List<Layer> layers) {
    for (Layer l : layers) {
      if (l instanceof Embedding) {
        return true;
      }
      if (!(l instanceof org.rnn4j.layers.Masking || l instanceof org.rnn4j.layers.InferenceIdentity)) {
        return false;
      }
    }
    return false;
  }

  private static int[] shapeOrNull(JsonNode node) {
    if (node == null || !node.isArray()) {
      return null;
    }
    int[] s = new int[node.size()];
    for (int i = 0; i < s.length; i++) {
      JsonNode d = node.get(i);
      if (d.isNull()) {
        s[i] = -1;
      } else if (d.isIntegralNumber() && d.asInt() > 0) {
        s[i] = d.asInt();
      } else {
        return null;
      }
    }
    return s;
  }

  private static void refuseUnsupported(List<JsonNode> layerNodes, String source) {
    List<String> unsupported = new ArrayList<>();
    for (int i = 0; i < layerNodes.size(); i++) {
      String cls = LayerParser.className(layerNodes.get(i), source + ": layer " + i);
      if (!LayerParser.isSupported(cls)) {
        JsonNode n = layerNodes.get(i).path("config").path("name");
        unsupported.add(cls + (n.isTextual() ? " '" + n.textValue() + "'" : "") + " (layer " + i + ")" + LayerParser.whyUnsupported(cls));
      }
    }
    if (!unsupported.isEmpty()) {
      throw new InvalidModelException(
          source + ": unsupported layer" + (unsupported.size() > 1 ? "s: " : ": ") + String.join(", ", unsupported));
    }
  }

  /** The version a config's form reveals: its keras_version, else 3 if objects carry "module" keys, else 2. */
  static KerasVersion versionOf(JsonNode root) {
    JsonNode v = root.get("keras_version");
    if (v != null && v.isTextual()) {
      KerasVersion parsed = KerasVersion.parse(v.textValue());
      if (parsed != null) {
        return parsed;
      }
    }
    return hasModuleKey(root, 0)
        ? KerasVersion.inferred(3, "3 (inferred: objects carry 'module' keys)")
        : KerasVersion.inferred(2, "2 (inferred: no 'module' keys)");
  }

  private static boolean hasModuleKey(JsonNode node, int depth) {
    if (depth > Limits.MAX_JSON_DEPTH) {
      return false;
    }
    if (node.isObject()) {
      if (node.has("module") && node.has("class_name")) {
        return true;
      }
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        if (hasModuleKey(it.next(), depth + 1)) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        if (hasModuleKey(child, depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }
}

package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.FileFormatException;
import org.rnn4j.Limits;
import org.rnn4j.Tensor;

/**
 * A TensorFlow.js layers model ({@code tensorflowjs_converter --output_format=tfjs_layers_model}, or
 * a tf.js {@code model.save}): {@code model.json} holds the Keras config in {@code modelTopology}
 * (under {@code model_config}, with {@code keras_version}, as the converter writes it; or the config
 * itself) and a {@code weightsManifest}: groups of weights, each group's values little-endian and
 * back to back across the group's shard files (named in {@code paths}, beside model.json). The
 * weights come in the order the converter read them from Keras, get_weights() order. Quantized
 * weights are refused by name.
 */
final class TfjsLayersModel {
  private TfjsLayersModel() {}

  static boolean is(JsonNode root) {
    return root.isObject() && root.has("modelTopology") && root.has("weightsManifest");
  }

  /** The Keras model config inside {@code modelTopology}. */
  static JsonNode config(JsonNode root, String source) {
    JsonNode topology = root.get("modelTopology");
    JsonNode config = topology.has("model_config") ? topology.get("model_config") : topology;
    if (!config.isObject() || !config.has("class_name")) {
      throw new FileFormatException(source + ": 'modelTopology' holds no Keras model config (no 'class_name')");
    }
    return config;
  }

  /** The Keras version the converter recorded, or null. */
  static KerasVersion version(JsonNode root) {
    JsonNode v = root.get("modelTopology").get("keras_version");
    return v != null && v.isTextual() ? KerasVersion.parse(v.textValue()) : null;
  }

  /** Every weight of the manifest, in its order. */
  static List<Tensor> weights(Path json, JsonNode root, Limits.Budget budget) {
    String source = json.toString();
    JsonNode manifest = root.get("weightsManifest");
    if (!manifest.isArray()) {
      throw new FileFormatException(source + ": 'weightsManifest' must be a list of weight groups");
    }
    Path dir = json.toAbsolutePath().getParent();
    List<Tensor> out = new ArrayList<>();
    for (JsonNode group : manifest) {
      ByteBuffer bytes = shards(dir, group.path("paths"), source, budget).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode w : group.path("weights")) {
        String name = w.path("name").asText("?");
        if (w.has("quantization")) {
          throw new FileFormatException(source + ": weight '" + name + "' is quantized (" + w.get("quantization").path("dtype").asText("?")
              + "), which rnn4j does not read; convert the model without --quantize");
        }
        String dtype = w.path("dtype").asText("float32");
        if (!dtype.equals("float32")) {
          throw new FileFormatException(source + ": weight '" + name + "' has dtype '" + dtype + "', expected float32");
        }
        int[] shape = shape(w.path("shape"), name, source);
        long n = 1;
        for (int d : shape) {
          n *= d;
          if (n * 4 > bytes.remaining()) { // checked per axis: a product of huge sizes never overflows
            throw new FileFormatException(source + ": weight '" + name + "' of shape " + java.util.Arrays.toString(shape) + " needs more than "
                + bytes.remaining() + " bytes, what its shards hold after the weights before it");
          }
        }
        float[] data = new float[(int) n];
        bytes.asFloatBuffer().get(data);
        bytes.position(bytes.position() + (int) n * 4);
        out.add(Tensor.of(shape, data));
      }
      if (bytes.hasRemaining()) {
        throw new FileFormatException(source + ": a weight group's shards hold " + bytes.remaining() + " bytes more than its weights");
      }
    }
    return out;
  }

  private static int[] shape(JsonNode shape, String name, String source) {
    if (!shape.isArray()) {
      throw new FileFormatException(source + ": weight '" + name + "' has no 'shape' list");
    }
    int[] out = new int[shape.size()];
    for (int i = 0; i < out.length; i++) {
      if (!shape.get(i).canConvertToInt() || shape.get(i).intValue() < 0) {
        throw new FileFormatException(source + ": weight '" + name + "' has a shape that is not a list of sizes: " + shape);
      }
      out[i] = shape.get(i).intValue();
    }
    return out;
  }

  /** A group's shard files, back to back; each a plain file name beside model.json. */
  private static ByteBuffer shards(Path dir, JsonNode paths, String source, Limits.Budget budget) {
    if (!paths.isArray() || paths.isEmpty()) {
      throw new FileFormatException(source + ": a weight group has no 'paths' list of shard files");
    }
    List<Path> files = new ArrayList<>();
    long total = 0;
    for (JsonNode p : paths) {
      String name = p.asText("");
      Path file = dir.resolve(name).normalize();
      if (name.isEmpty() || !dir.equals(file.getParent())) {
        throw new FileFormatException(source + ": shard '" + name + "' is not a file name beside the model.json");
      }
      try {
        total += Files.size(file);
      } catch (NoSuchFileException e) {
        throw new FileFormatException(source + ": shard '" + name + "' not found beside the model.json");
      } catch (IOException e) {
        throw new FileFormatException(source + ": shard '" + name + "': cannot read: " + e.getMessage(), e);
      }
      files.add(file);
    }
    budget.reserve(total, "weight shards");
    ByteBuffer all = ByteBuffer.allocate((int) Math.min(total, Integer.MAX_VALUE - 8));
    for (Path file : files) {
      try {
        all.put(Files.readAllBytes(file));
      } catch (IOException | java.nio.BufferOverflowException e) {
        throw new FileFormatException(source + ": shard '" + file.getFileName() + "': cannot read: " + e.getMessage(), e);
      }
    }
    return all.flip();
  }
}

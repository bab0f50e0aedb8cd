package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rnn4j.Limits;
import org.rnn4j.io.ZipArchive;

/**
 * A Keras 3 {@code .keras} file: a zip of {@code config.json} (the model), {@code metadata.json}
 * (with {@code keras_version}) and {@code model.weights.h5} (the weights in Keras 3's layout).
 */
final class KerasArchive {
  final String config;
  final KerasVersion version;
  final byte[] weights;

  private KerasArchive(String config, KerasVersion version, byte[] weights) {
    this.config = config;
    this.version = version;
    this.weights = weights;
  }

  static KerasArchive read(Path file, Limits.Budget budget) {
    try (ZipArchive zip = ZipArchive.open(file, ".keras", budget)) {
      String config = text(zip, "config.json", budget.limits());
      String metadata = zip.has("metadata.json") ? text(zip, "metadata.json", budget.limits()) : null;
      byte[] weights = zip.read("model.weights.h5");
      return new KerasArchive(config, version(metadata, file, budget.limits()), weights);
    }
  }

  private static KerasVersion version(String metadata, Path file, Limits limits) {
    if (metadata == null) {
      return null;
    }
    JsonNode m = KerasConfigReader.parseJson(metadata, file + "[metadata.json]", limits);
    JsonNode v = m.get("keras_version");
    return v != null && v.isTextual() ? KerasVersion.parse(v.textValue()) : null;
  }

  private static String text(ZipArchive zip, String name, Limits limits) {
    if (zip.has(name) && !zip.isDirectory(name)) {
      // checked here so that a huge JSON entry is refused before it is inflated
      zip.checkDeclaredSize(name, limits.jsonBytes(), "JSON document (limit rnn4j.limits.jsonBytes)");
    }
    return new String(zip.read(name), StandardCharsets.UTF_8);
  }
}

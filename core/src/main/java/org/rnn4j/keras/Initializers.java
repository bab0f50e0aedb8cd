package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.rnn4j.initializers.Constant;
import org.rnn4j.initializers.Identity;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Ones;
import org.rnn4j.initializers.Orthogonal;
import org.rnn4j.initializers.RandomNormal;
import org.rnn4j.initializers.RandomUniform;
import org.rnn4j.initializers.TruncatedNormal;
import org.rnn4j.initializers.UnsupportedInitializer;
import org.rnn4j.initializers.VarianceScaling;
import org.rnn4j.initializers.Zeros;

/**
 * Reads Keras initializer configs ({@code {"class_name": "GlorotUniform", "config": {...}}}, or a
 * bare name such as {@code "glorot_uniform"}). An initializer rnn4j cannot draw from becomes an
 * {@link UnsupportedInitializer}: the model still runs with weights from a file.
 */
final class Initializers {
  private Initializers() {}

  /** The initializer argument {@code key} of a layer config, or {@code defaultValue} when absent. */
  static Initializer parse(ConfigNode c, String key, Initializer defaultValue) {
    JsonNode node = c.raw(key);
    String where = c.where() + ": argument '" + key + "'";
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (node.isTextual()) {
      return byName(node.textValue(), null, where);
    }
    if (node.isObject() && node.has("class_name")) {
      return byName(node.get("class_name").asText(), node.get("config"), where);
    }
    return new UnsupportedInitializer(node.toString(), where);
  }

  private static Initializer byName(String name, JsonNode config, String where) {
    String key = name.toLowerCase(Locale.ROOT).replace("_", "");
    return switch (key) {
      case "zeros", "zero" -> new Zeros();
      case "ones", "one" -> new Ones();
      case "constant" -> new Constant(num(config, "value", 0));
      case "glorotuniform" -> VarianceScaling.glorotUniform();
      case "glorotnormal" -> VarianceScaling.glorotNormal();
      case "heuniform" -> VarianceScaling.heUniform();
      case "henormal" -> VarianceScaling.heNormal();
      case "lecununiform" -> VarianceScaling.lecunUniform();
      case "lecunnormal" -> VarianceScaling.lecunNormal();
      case "variancescaling" ->
          new VarianceScaling(
              "VarianceScaling",
              num(config, "scale", 1.0),
              str(config, "mode", "fan_in"),
              str(config, "distribution", "truncated_normal"));
      case "orthogonal", "orthogonalinitializer" -> new Orthogonal(num(config, "gain", 1.0));
      case "randomuniform", "uniform" -> new RandomUniform(num(config, "minval", -0.05), num(config, "maxval", 0.05));
      case "randomnormal", "normal" -> new RandomNormal(num(config, "mean", 0), num(config, "stddev", 0.05));
      case "truncatednormal" -> new TruncatedNormal(num(config, "mean", 0), num(config, "stddev", 0.05));
      case "identity" -> new Identity(num(config, "gain", 1.0));
      default -> new UnsupportedInitializer(name, where);
    };
  }

  private static double num(JsonNode config, String key, double defaultValue) {
    JsonNode v = config == null ? null : config.get(key);
    return v != null && v.isNumber() ? v.doubleValue() : defaultValue;
  }

  private static String str(JsonNode config, String key, String defaultValue) {
    JsonNode v = config == null ? null : config.get(key);
    return v != null && v.isTextual() ? v.textValue() : defaultValue;
  }
}

package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.rnn4j.InvalidModelException;

/**
 * Typed, checked access to one Keras {@code config} object. It records which arguments were read
 * so that {@link #finish()} can refuse any argument rnn4j does not implement, by name, instead of
 * silently ignoring it.
 */
final class ConfigNode {
  private final JsonNode node;
  private final String where;
  private final Set<String> used = new HashSet<>();

  ConfigNode(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new InvalidModelException(where + ": 'config' must be a JSON object");
    }
    this.node = node;
    this.where = where;
  }

  /** The config object itself. */
  JsonNode node() {
    return node;
  }

  String where() {
    return where;
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** Marks arguments that do not affect inference (regularizers, dropout, names, ...). */
  void ignore(String... keys) {
    used.addAll(List.of(keys));
  }

  JsonNode raw(String key) {
    used.add(key);
    return node.get(key);
  }

  /** An integer argument, or {@code defaultValue} when absent or null. */
  int integer(String key, int defaultValue) {
    JsonNode v = raw(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw error("argument '" + key + "' must be an integer, got " + v);
    }
    return v.asInt();
  }

  int positiveInt(String key) {
    JsonNode v = raw(key);
    if (v == null || v.isNull()) {
      throw error("missing argument '" + key + "'");
    }
    if (!v.canConvertToInt() || !(v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())))) {
      throw error("argument '" + key + "' must be an integer, got " + v);
    }
    int i = v.asInt();
    if (i <= 0) {
      throw error("argument '" + key + "' must be positive, got " + i);
    }
    return i;
  }

  boolean bool(String key, boolean defaultValue) {
    JsonNode v = raw(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isBoolean()) {
      throw error("argument '" + key + "' must be true or false, got " + v);
    }
    return v.booleanValue();
  }

  double number(String key, double defaultValue) {
    JsonNode v = raw(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isNumber()) {
      throw error("argument '" + key + "' must be a number, got " + v);
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      throw error("argument '" + key + "' must be finite, got " + v);
    }
    return d;
  }

  String string(String key, String defaultValue) {
    JsonNode v = raw(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isTextual()) {
      throw error("argument '" + key + "' must be a string, got " + v);
    }
    return v.textValue();
  }

  /** Requires an argument that rnn4j does not implement to have its default (or be absent). */
  void requireDefault(String key, boolean defaultValue) {
    if (bool(key, defaultValue) != defaultValue) {
      throw error("argument " + key + "=" + !defaultValue + " is not supported");
    }
  }

  /** Requires a numeric argument to be zero or absent. */
  void requireZero(String key) {
    if (number(key, 0) != 0) {
      throw error("argument " + key + "=" + node.get(key) + " is not supported");
    }
  }

  /** A shape list such as {@code [null, 3, 6]}, nulls as -1; null when absent. */
  int[] shape(String key) {
    JsonNode v = raw(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw error("argument '" + key + "' must be a list of dimensions, got " + v);
    }
    int[] s = new int[v.size()];
    for (int i = 0; i < s.length; i++) {
      JsonNode d = v.get(i);
      if (d.isNull()) {
        s[i] = -1;
      } else if (d.canConvertToInt() && d.isIntegralNumber() && d.asInt() > 0) {
        s[i] = d.asInt();
      } else {
        throw error("argument '" + key + "' has an invalid dimension " + d);
      }
    }
    return s;
  }

  /** Refuses every argument not read, required or ignored. */
  void finish() {
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!used.contains(k)) {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      throw error("unsupported argument" + (unknown.size() > 1 ? "s " : " ") + "'" + String.join("', '", unknown) + "'");
    }
  }

  InvalidModelException error(String what) {
    return new InvalidModelException(where + ": " + what);
  }
}

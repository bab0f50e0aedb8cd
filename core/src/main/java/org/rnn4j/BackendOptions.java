package org.rnn4j;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings for opening a backend, as {@code name=value} strings (so that they can come from a
 * command line). Each backend declares the options it knows; an unknown name is an error that
 * lists them.
 */
public final class BackendOptions {
  private static final BackendOptions NONE = new BackendOptions(Map.of());
  private final Map<String, String> values;

  private BackendOptions(Map<String, String> values) {
    this.values = values;
  }

  public static BackendOptions none() {
    return NONE;
  }

  public static BackendOptions of(Map<String, String> values) {
    return new BackendOptions(java.util.Collections.unmodifiableMap(new TreeMap<>(values)));
  }

  /** Parses {@code name=value} pairs. */
  public static BackendOptions parse(String... pairs) {
    Map<String, String> map = new TreeMap<>();
    for (String p : pairs) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new InvalidInputException("backend option '" + p + "' is not of the form name=value");
      }
      map.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    return of(map);
  }

  /** The raw options. */
  public Map<String, String> asMap() {
    return values;
  }

  /**
   * Checks that every option is one of {@code known}.
   *
   * @throws InvalidInputException naming the unknown option and the known ones
   */
  public void requireKnown(String backend, java.util.Collection<String> known) {
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw new InvalidInputException(
            "backend '" + backend + "' has no option '" + name + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** A positive integer option, or {@code defaultValue} when absent. */
  public int positiveInt(String name, int defaultValue) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      int i = Integer.parseInt(v);
      if (i > 0) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException("backend option '" + name + "' must be a positive integer, got '" + v + "'");
  }

  /** A boolean option ({@code true}/{@code false}), or {@code defaultValue} when absent. */
  public boolean bool(String name, boolean defaultValue) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new InvalidInputException("backend option '" + name + "' must be true or false, got '" + v + "'");
    };
  }

  /** An option that must be one of {@code choices}, or {@code defaultValue} when absent. */
  public String choice(String name, String defaultValue, String... choices) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (Arrays.asList(choices).contains(lower)) {
      return lower;
    }
    throw new InvalidInputException(
        "backend option '" + name + "' must be one of " + String.join(", ", choices) + ", got '" + v + "'");
  }

  @Override
  public String toString() {
    return values.toString();
  }
}

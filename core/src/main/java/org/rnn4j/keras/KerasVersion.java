package org.rnn4j.keras;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keras version that wrote a model, which decides definitions that changed between versions
 * ({@code hard_sigmoid}, GRU's {@code reset_after} default, per-gate Keras 1 weights).
 *
 * @param major 1, 2 or 3
 * @param minor the minor version, or -1 when unknown
 * @param text the version as written in the file, or a description of how it was inferred
 */
public record KerasVersion(int major, int minor, String text) {
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+).*");

  /** Parses {@code keras_version} strings such as {@code 2.1.3} or {@code 3.5.0}. */
  public static KerasVersion parse(String text) {
    Matcher m = VERSION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    return new KerasVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text.trim());
  }

  /** A version inferred from a config's form rather than read from a file. */
  public static KerasVersion inferred(int major, String how) {
    return new KerasVersion(major, -1, how);
  }

  @Override
  public String toString() {
    return text;
  }
}

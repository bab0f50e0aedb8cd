package org.rnn4j.layers;

import java.util.Locale;
import org.rnn4j.InvalidModelException;

/** How {@link Bidirectional} combines its forward and backward outputs. */
public enum MergeMode {
  /** {@code [forward, backward]} along the last axis. */
  CONCAT,
  SUM,
  MUL,
  /** {@code (forward + backward) / 2}. */
  AVE,
  /** No merge: the layer returns two outputs, forward then backward. */
  NONE;

  /** The Keras name, or null for {@link #NONE}. */
  public String kerasName() {
    return this == NONE ? null : name().toLowerCase(Locale.ROOT);
  }

  /** Parses Keras' {@code merge_mode}; null means {@link #NONE}. */
  public static MergeMode fromKeras(String name) {
    if (name == null) {
      return NONE;
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "concat" -> CONCAT;
      case "sum" -> SUM;
      case "mul" -> MUL;
      case "ave" -> AVE;
      default ->
          throw new InvalidModelException(
              "Bidirectional: unknown merge_mode '" + name + "' (expected concat, sum, mul, ave or null)");
    };
  }
}

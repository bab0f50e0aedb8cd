package org.rnn4j;

import java.util.Arrays;
import java.util.StringJoiner;

/** Small helpers for array shapes: element counts with overflow checks, and NumPy-style text. */
public final class Shapes {
  private Shapes() {}

  /**
   * The number of elements of a shape, refusing negative dimensions and counts that do not fit in
   * a Java array.
   *
   * @throws IllegalArgumentException if a dimension is negative or the count exceeds {@code
   *     Integer.MAX_VALUE - 8}
   */
  public static int elementCount(int... shape) {
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + format(shape));
      }
      count *= d;
      if (count > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + format(shape) + " has too many elements");
      }
    }
    return (int) count;
  }

  /** {@code (2, 3, 5)}, {@code (4,)} or {@code ()}, as NumPy prints shapes; -1 prints as None. */
  public static String format(int... shape) {
    if (shape.length == 1) {
      return "(" + dim(shape[0]) + ",)";
    }
    StringJoiner joiner = new StringJoiner(", ", "(", ")");
    for (int d : shape) {
      joiner.add(dim(d));
    }
    return joiner.toString();
  }

  private static String dim(int d) {
    return d < 0 ? "None" : Integer.toString(d);
  }

  /** Whether {@code actual} matches {@code expected}, where -1 in expected matches any size. */
  public static boolean matches(int[] expected, int[] actual) {
    if (expected.length != actual.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] >= 0 && expected[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }

  static int[] copyOf(int[] shape) {
    return Arrays.copyOf(shape, shape.length);
  }
}

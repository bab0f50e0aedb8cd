package org.rnn4j.io;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.FileFormatException;
import org.rnn4j.Shapes;

/**
 * The header of a {@code .npy} file: the dtype, the memory order and the shape, parsed from the
 * Python dict literal NumPy writes ({@code {'descr': '<f4', 'fortran_order': False, 'shape': (2,
 * 3), }}).
 */
record NpyHeader(NpyType type, ByteOrder order, boolean fortranOrder, int[] shape) {

  int elementCount() {
    return Shapes.elementCount(shape);
  }

  long dataBytes() {
    return (long) elementCount() * type.size();
  }

  String describe() {
    return "'" + type.descr(order) + "' " + Shapes.format(shape) + (fortranOrder ? " Fortran order" : "");
  }

  static NpyHeader parse(String text, String source) {
    String t = text.trim();
    if (!t.startsWith("{") || !t.endsWith("}")) {
      throw bad(source, "header is not a dict: " + abbreviate(t));
    }
    String descr = stringValue(t, "descr", source);
    boolean fortran = boolValue(t, "fortran_order", source);
    int[] shape = tupleValue(t, "shape", source);
    if (descr.length() < 2) {
      throw bad(source, "unknown dtype '" + descr + "'");
    }
    char byteOrder = descr.charAt(0);
    NpyType type = NpyType.fromCode(descr.substring(1));
    if (type == null) {
      throw bad(source, "unsupported dtype '" + descr + "' (expected float16/32/64, signed or unsigned integers, or bool)");
    }
    ByteOrder order =
        switch (byteOrder) {
          case '<' -> ByteOrder.LITTLE_ENDIAN;
          case '>' -> ByteOrder.BIG_ENDIAN;
          case '|', '=' -> ByteOrder.nativeOrder();
          default -> throw bad(source, "unknown byte order in dtype '" + descr + "'");
        };
    try {
      Shapes.elementCount(shape);
    } catch (IllegalArgumentException e) {
      throw bad(source, e.getMessage());
    }
    return new NpyHeader(type, order, fortran, shape);
  }

  private static int valueStart(String dict, String key, String source) {
    int k = dict.indexOf("'" + key + "'");
    if (k < 0) {
      k = dict.indexOf("\"" + key + "\"");
    }
    if (k < 0) {
      throw bad(source, "header has no '" + key + "' entry");
    }
    int colon = dict.indexOf(':', k + key.length() + 2);
    if (colon < 0) {
      throw bad(source, "header entry '" + key + "' has no value");
    }
    int i = colon + 1;
    while (i < dict.length() && Character.isWhitespace(dict.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String stringValue(String dict, String key, String source) {
    int i = valueStart(dict, key, source);
    if (i >= dict.length() || (dict.charAt(i) != '\'' && dict.charAt(i) != '"')) {
      throw bad(source, "header entry '" + key + "' is not a string (structured dtypes are not supported)");
    }
    char quote = dict.charAt(i);
    int end = dict.indexOf(quote, i + 1);
    if (end < 0) {
      throw bad(source, "header entry '" + key + "' is an unterminated string");
    }
    return dict.substring(i + 1, end);
  }

  private static boolean boolValue(String dict, String key, String source) {
    int i = valueStart(dict, key, source);
    if (dict.startsWith("True", i)) {
      return true;
    }
    if (dict.startsWith("False", i)) {
      return false;
    }
    throw bad(source, "header entry '" + key + "' is not True or False");
  }

  private static int[] tupleValue(String dict, String key, String source) {
    int i = valueStart(dict, key, source);
    if (i >= dict.length() || dict.charAt(i) != '(') {
      throw bad(source, "header entry '" + key + "' is not a tuple");
    }
    int end = dict.indexOf(')', i);
    if (end < 0) {
      throw bad(source, "header entry '" + key + "' is an unterminated tuple");
    }
    List<Integer> dims = new ArrayList<>();
    for (String part : dict.substring(i + 1, end).split(",")) {
      String p = part.trim();
      if (p.endsWith("L")) {
        p = p.substring(0, p.length() - 1);
      }
      if (p.isEmpty()) {
        continue;
      }
      try {
        long d = Long.parseLong(p);
        if (d < 0 || d > Integer.MAX_VALUE) {
          throw bad(source, "shape dimension " + p + " is out of range");
        }
        dims.add((int) d);
      } catch (NumberFormatException e) {
        throw bad(source, "shape dimension '" + p + "' is not an integer");
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  static FileFormatException bad(String source, String what) {
    return new FileFormatException(source + ": not a valid .npy array: " + what);
  }
}

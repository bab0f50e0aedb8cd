package org.rnn4j;

import java.util.Locale;

/** Renders tensors the way NumPy prints arrays, so that output can be compared with Keras'. */
final class TensorFormat {
  private TensorFormat() {}

  static String format(Tensor t, int maxPerAxis) {
    StringBuilder sb = new StringBuilder();
    int[] shape = t.shape();
    if (shape.length == 0) {
      return number(t.getFlat(0));
    }
    append(sb, t, shape, 0, 0, maxPerAxis);
    return sb.toString();
  }

  private static int append(
      StringBuilder sb, Tensor t, int[] shape, int axis, int offset, int maxPerAxis) {
    int n = shape[axis];
    int stride = 1;
    for (int a = axis + 1; a < shape.length; a++) {
      stride *= shape[a];
    }
    sb.append('[');
    boolean elide = n > maxPerAxis;
    int head = elide ? maxPerAxis / 2 : n;
    for (int i = 0; i < n; i++) {
      if (elide && i == head) {
        sb.append(axis == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(axis + 1));
        i = n - maxPerAxis / 2;
      }
      if (axis == shape.length - 1) {
        sb.append(number(t.getFlat(offset + i)));
      } else {
        append(sb, t, shape, axis + 1, offset + i * stride, maxPerAxis);
      }
      if (i < n - 1) {
        sb.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
      }
    }
    sb.append(']');
    return offset;
  }

  static String number(float v) {
    if (Float.isNaN(v)) {
      return "nan";
    }
    if (Float.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    float a = Math.abs(v);
    if (a != 0 && (a < 1e-4f || a >= 1e6f)) {
      return String.format(Locale.ROOT, "%.7e", v);
    }
    return String.format(Locale.ROOT, "%.8f", v).replaceAll("0+$", "").replaceAll("\\.$", ".0");
  }
}

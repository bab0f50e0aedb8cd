package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * Keras' merge layers, which combine several inputs into one: {@code Concatenate(axis)}, the
 * element-wise {@code Add}, {@code Subtract} (two inputs), {@code Multiply}, {@code Average},
 * {@code Maximum}, {@code Minimum}, and {@code Dot(axes, normalize)} of two vectors per sample.
 * The element-wise ones take inputs of one shape; the output mask is the conjunction of the
 * inputs' masks, as in Keras.
 */
public final class Merge implements Layer {
  /** The combination. */
  public enum Kind {
    CONCATENATE("Concatenate"),
    ADD("Add"),
    SUBTRACT("Subtract"),
    MULTIPLY("Multiply"),
    AVERAGE("Average"),
    MAXIMUM("Maximum"),
    MINIMUM("Minimum"),
    DOT("Dot");

    private final String kerasClassName;

    Kind(String kerasClassName) {
      this.kerasClassName = kerasClassName;
    }
  }

  private final Kind kind;
  private final int axis;
  private final boolean normalize;
  private final String name;

  private Merge(Kind kind, int axis, boolean normalize, String name) {
    this.kind = kind;
    this.axis = axis;
    this.normalize = normalize;
    this.name = name;
  }

  /** An element-wise merge (not {@link Kind#CONCATENATE} or {@link Kind#DOT}). */
  public static Merge of(Kind kind, String name) {
    if (kind == Kind.CONCATENATE || kind == Kind.DOT) {
      throw new IllegalArgumentException(kind + " needs its axis");
    }
    return new Merge(kind, -1, false, name);
  }

  /** {@code Concatenate(axis)}; the axis counts the batch axis as Keras does (-1: the last). */
  public static Merge concatenate(int axis, String name) {
    return new Merge(Kind.CONCATENATE, axis, false, name);
  }

  /**
   * {@code Dot(axes, normalize)} of two {@code (features,)} vectors per sample: the axis must be
   * the last ({@code -1}, or 1 counting the batch axis); with {@code normalize} the cosine.
   */
  public static Merge dot(int axes, boolean normalize, String name) {
    if (axes != -1 && axes != 1) {
      throw new InvalidModelException("Dot: only the product over the features of two vectors (axes=1 or -1) is supported, got axes=" + axes);
    }
    return new Merge(Kind.DOT, -1, normalize, name);
  }

  public Kind kind() {
    return kind;
  }

  /** Concatenate's axis among the dimensions without batch (0-based). */
  public int axis(int rank) {
    int a = axis < 0 ? rank + axis : axis - 1;
    if (a < 0 || a >= rank) {
      throw new InvalidModelException(LayerShapes.describe(this) + ": axis " + axis + " is outside inputs of rank " + (rank + 1) + " (with batch)");
    }
    return a;
  }

  public boolean normalize() {
    return normalize;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return kind.kerasClassName;
  }

  /** Merges need several inputs: see {@link #outputShape(List)}. */
  @Override
  public int[] outputShape(int[] inputShape) {
    throw new InvalidModelException(LayerShapes.describe(this) + " merges several inputs; it was given one");
  }

  /**
   * The output shape for these input shapes (without batch).
   *
   * @throws InvalidModelException naming the layer if the shapes cannot be merged
   */
  public int[] outputShape(List<int[]> shapes) {
    if (shapes.size() < 2 || ((kind == Kind.SUBTRACT || kind == Kind.DOT) && shapes.size() != 2)) {
      throw new InvalidModelException(LayerShapes.describe(this) + " needs " + (kind == Kind.SUBTRACT || kind == Kind.DOT ? "exactly 2" : "at least 2")
          + " inputs, got " + shapes.size());
    }
    int[] first = shapes.get(0);
    switch (kind) {
      case CONCATENATE -> {
        int a = axis(first.length);
        int[] out = first.clone();
        for (int[] s : shapes.subList(1, shapes.size())) {
          if (s.length != first.length) {
            throw incompatible(shapes);
          }
          for (int d = 0; d < s.length; d++) {
            if (d == a) {
              out[d] = out[d] < 0 || s[d] < 0 ? -1 : out[d] + s[d];
            } else if (!fits(out[d], s[d])) {
              throw incompatible(shapes);
            }
          }
        }
        return out;
      }
      case DOT -> {
        if (first.length != 1 || shapes.get(1).length != 1 || first[0] != shapes.get(1)[0] || first[0] < 0) {
          throw new InvalidModelException(LayerShapes.describe(this) + ": supported for two (features,) inputs of one known size, got "
              + Shapes.format(first) + " and " + Shapes.format(shapes.get(1)));
        }
        return new int[] {1};
      }
      default -> {
        for (int[] s : shapes.subList(1, shapes.size())) {
          if (s.length != first.length) {
            throw incompatible(shapes);
          }
          for (int d = 0; d < s.length; d++) {
            if (!fits(first[d], s[d])) {
              throw incompatible(shapes);
            }
          }
        }
        return first.clone();
      }
    }
  }

  private static boolean fits(int a, int b) {
    return a < 0 || b < 0 || a == b;
  }

  private InvalidModelException incompatible(List<int[]> shapes) {
    StringBuilder sb = new StringBuilder();
    for (int[] s : shapes) {
      sb.append(sb.length() == 0 ? "" : ", ").append(Shapes.format(s));
    }
    return new InvalidModelException(LayerShapes.describe(this) + ": cannot merge inputs of shapes " + sb
        + (kind == Kind.CONCATENATE ? " along axis " + axis : ""));
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    return List.of();
  }

  @Override
  public String toString() {
    return kind.kerasClassName + (kind == Kind.CONCATENATE ? "(axis=" + axis + ")" : kind == Kind.DOT ? "(normalize=" + normalize + ")" : "");
  }

}

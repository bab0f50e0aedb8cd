package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * Keras' merge layers, which combine several inputs into one: {@code Concatenate(axis)}, the
 * element-wise {@code Add}, {@code Subtract} (two inputs), {@code Multiply}, {@code Average},
 * {@code Maximum}, {@code Minimum}, and {@code Dot(axes, normalize)}: per sample, the product of
 * two vectors, or of two matrices over one axis of each (attention scores {@code (T, H)·(S, H)
 * → (T, S)}, attention-weighted sums {@code (T, S)·(S, H) → (T, H)}).
 * The element-wise ones take inputs of one shape.
 *
 * <p>Masks merge as the Keras version that wrote the model merges them: Keras 3 takes the union
 * of the inputs' masks (an element-wise merge with an unmasked input has no mask), tf.keras 2 the
 * intersection (an unmasked input counts as all valid); both join the masks along time when
 * concatenating along time.
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
  /** Dot: the second input's axis (counting the batch axis; {@link #axis} is the first's). */
  private final int otherAxis;
  private final boolean normalize;
  private final boolean keras2Masks;
  private final String name;

  private Merge(Kind kind, int axis, int otherAxis, boolean normalize, boolean keras2Masks, String name) {
    this.kind = kind;
    this.axis = axis;
    this.otherAxis = otherAxis;
    this.normalize = normalize;
    this.keras2Masks = keras2Masks;
    this.name = name;
  }

  /** An element-wise merge (not {@link Kind#CONCATENATE} or {@link Kind#DOT}). */
  public static Merge of(Kind kind, String name) {
    if (kind == Kind.CONCATENATE || kind == Kind.DOT) {
      throw new IllegalArgumentException(kind + " needs its axis");
    }
    return new Merge(kind, -1, -1, false, false, name);
  }

  /** {@code Concatenate(axis)}; the axis counts the batch axis as Keras does (-1: the last). */
  public static Merge concatenate(int axis, String name) {
    return new Merge(Kind.CONCATENATE, axis, -1, false, false, name);
  }

  /**
   * {@code Dot(axes=[a, b], normalize)}: per sample, the sum of products over axis {@code a} of the
   * first input and axis {@code b} of the second (counting the batch axis, as Keras does; -1 is the
   * last); with {@code normalize} each input is first L2-normalized along that axis (cosine).
   */
  public static Merge dot(int a, int b, boolean normalize, String name) {
    return new Merge(Kind.DOT, a, b, normalize, false, name);
  }

  /** {@code Dot(axes, normalize)} with one axis for both inputs. */
  public static Merge dot(int axes, boolean normalize, String name) {
    return dot(axes, axes, normalize, name);
  }

  /**
   * Checks at run time that the sizes a Dot contracts agree (open sizes, such as two sequences'
   * lengths, are only known then).
   *
   * @throws org.rnn4j.InvalidInputException naming the layer if they differ
   */
  public void checkContracted(int first, int second) {
    if (first != second) {
      throw new org.rnn4j.InvalidInputException(LayerShapes.describe(this) + ": the axes it multiplies over have sizes " + first + " and "
          + second + " in this call; they must be equal");
    }
  }

  /** Dot: the contracted axis of input {@code which} (0 or 1) of rank {@code rank} (without batch), 0-based. */
  public int dotAxis(int which, int rank) {
    int a = which == 0 ? axis : otherAxis;
    int d = a < 0 ? rank + a : a - 1;
    if (d < 0 || d >= rank) {
      throw new InvalidModelException(LayerShapes.describe(this) + ": axis " + a + " is outside an input of rank " + (rank + 1) + " (with batch)");
    }
    return d;
  }

  /** The same merge, joining masks as tf.keras 2 does (the intersection) rather than Keras 3 (the union). */
  public Merge withKeras2Masks() {
    return new Merge(kind, axis, otherAxis, normalize, true, name);
  }

  /** Whether masks merge as in tf.keras 2 (intersection) rather than Keras 3 (union). */
  public boolean keras2Masks() {
    return keras2Masks;
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
        int[] second = shapes.get(1);
        if (first.length != second.length || first.length > 2) {
          throw new InvalidModelException(LayerShapes.describe(this) + ": supported for two vectors or two matrices per sample, got "
              + Shapes.format(first) + " and " + Shapes.format(second));
        }
        int a = dotAxis(0, first.length);
        int b = dotAxis(1, second.length);
        if (first[a] >= 0 && second[b] >= 0 && first[a] != second[b]) {
          throw new InvalidModelException(LayerShapes.describe(this) + ": axis " + axis + " of " + Shapes.format(first) + " and axis "
              + otherAxis + " of " + Shapes.format(second) + " differ in size");
        }
        if (first.length == 1) {
          return new int[] {1};
        }
        return new int[] {first[1 - a], second[1 - b]};
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
  public String toString() {
    return kind.kerasClassName + (kind == Kind.CONCATENATE ? "(axis=" + axis + ")"
        : kind == Kind.DOT ? "(axes=[" + axis + ", " + otherAxis + "], normalize=" + normalize + ")" : "");
  }

}

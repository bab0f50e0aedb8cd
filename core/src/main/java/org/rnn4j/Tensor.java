package org.rnn4j;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * An immutable float32 array: a shape and its elements in row-major (C) order. This is the only
 * array type at rnn4j's API boundary; backends convert it at their edge.
 *
 * <p>Shapes follow Keras: a batch of sequences is {@code (batch, time, features)}, a batch of
 * vectors (states, last outputs) is {@code (batch, units)}.
 */
public final class Tensor {
  private final int[] shape;
  private final float[] data;

  private Tensor(int[] shape, float[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** A tensor of the given shape holding a copy of {@code data} (row-major). */
  public static Tensor of(int[] shape, float[] data) {
    int[] s = Shapes.copyOf(shape);
    checkLength(s, data.length);
    return new Tensor(s, Arrays.copyOf(data, data.length));
  }

  /** A vector. */
  public static Tensor of(float... vector) {
    return new Tensor(new int[] {vector.length}, vector.clone());
  }

  /** A matrix {@code (rows, cols)}; rows must have equal lengths. */
  public static Tensor of(float[][] matrix) {
    int rows = matrix.length;
    int cols = rows == 0 ? 0 : matrix[0].length;
    float[] out = new float[count(new int[] {rows, cols})];
    for (int r = 0; r < rows; r++) {
      requireLength(matrix[r].length, cols, "row " + r);
      System.arraycopy(matrix[r], 0, out, r * cols, cols);
    }
    return new Tensor(new int[] {rows, cols}, out);
  }

  /** A rank-3 tensor, typically {@code (batch, time, features)}; inner arrays must be regular. */
  public static Tensor of(float[][][] cube) {
    int d0 = cube.length;
    int d1 = d0 == 0 ? 0 : cube[0].length;
    int d2 = d1 == 0 ? 0 : cube[0][0].length;
    float[] out = new float[count(new int[] {d0, d1, d2})];
    int pos = 0;
    for (int i = 0; i < d0; i++) {
      requireLength(cube[i].length, d1, "[" + i + "]");
      for (int j = 0; j < d1; j++) {
        requireLength(cube[i][j].length, d2, "[" + i + "][" + j + "]");
        System.arraycopy(cube[i][j], 0, out, pos, d2);
        pos += d2;
      }
    }
    return new Tensor(new int[] {d0, d1, d2}, out);
  }

  /** A tensor of zeros. */
  public static Tensor zeros(int... shape) {
    int[] s = Shapes.copyOf(shape);
    return new Tensor(s, new float[count(s)]);
  }

  /** A tensor whose every element is {@code value}. */
  public static Tensor filled(float value, int... shape) {
    int[] s = Shapes.copyOf(shape);
    float[] d = new float[count(s)];
    Arrays.fill(d, value);
    return new Tensor(s, d);
  }

  /**
   * A tensor that takes ownership of {@code data} without copying it. The caller must not modify
   * the array afterwards; backends use this to hand out results they have just computed.
   */
  public static Tensor wrap(int[] shape, float[] data) {
    int[] s = Shapes.copyOf(shape);
    checkLength(s, data.length);
    return new Tensor(s, data);
  }

  private static int count(int[] shape) {
    try {
      return Shapes.elementCount(shape);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
  }

  private static void checkLength(int[] shape, int length) {
    int expected = count(shape);
    if (expected != length) {
      throw new InvalidInputException(
          "shape " + Shapes.format(shape) + " needs " + expected + " elements, got " + length);
    }
  }

  private static void requireLength(int actual, int expected, String where) {
    if (actual != expected) {
      throw new InvalidInputException(
          "ragged array: " + where + " has length " + actual + ", expected " + expected);
    }
  }

  /** A copy of the shape. */
  public int[] shape() {
    return Shapes.copyOf(shape);
  }

  public int rank() {
    return shape.length;
  }

  /** The size of one axis; negative axes count from the end, as in NumPy. */
  public int dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  /** The number of elements. */
  public int size() {
    return data.length;
  }

  /** The element at a full index. */
  public float get(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index of rank " + index.length + " for a tensor of shape " + Shapes.format(shape));
    }
    int flat = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " outside shape " + Shapes.format(shape));
      }
      flat = flat * shape[i] + index[i];
    }
    return data[flat];
  }

  /** The element at a row-major position. */
  public float getFlat(int position) {
    return data[position];
  }

  /** A copy of the elements in row-major order. */
  public float[] toArray() {
    return data.clone();
  }

  /** Copies the elements into {@code dst} starting at {@code offset}. */
  public void copyTo(float[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  /** A read-only view of the elements, without copying. */
  public FloatBuffer buffer() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** The elements as a matrix; the tensor must have rank 2. */
  public float[][] toMatrix() {
    requireRank(2);
    float[][] out = new float[shape[0]][shape[1]];
    for (int r = 0; r < shape[0]; r++) {
      System.arraycopy(data, r * shape[1], out[r], 0, shape[1]);
    }
    return out;
  }

  /** The elements as a rank-3 array; the tensor must have rank 3. */
  public float[][][] toCube() {
    requireRank(3);
    float[][][] out = new float[shape[0]][shape[1]][shape[2]];
    int pos = 0;
    for (int i = 0; i < shape[0]; i++) {
      for (int j = 0; j < shape[1]; j++) {
        System.arraycopy(data, pos, out[i][j], 0, shape[2]);
        pos += shape[2];
      }
    }
    return out;
  }

  private void requireRank(int rank) {
    if (shape.length != rank) {
      throw new IllegalStateException(
          "tensor of shape " + Shapes.format(shape) + " is not of rank " + rank);
    }
  }

  /** The same elements under another shape with the same element count. */
  public Tensor reshape(int... newShape) {
    int[] s = Shapes.copyOf(newShape);
    checkLength(s, data.length);
    return new Tensor(s, data);
  }

  /** Whether both tensors have the same shape and bit-identical elements. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  /** NumPy-like text: nested brackets, at most 6 values per axis shown in full. */
  @Override
  public String toString() {
    return TensorFormat.format(this, 6);
  }

  /** NumPy-like text showing every element. */
  public String toFullString() {
    return TensorFormat.format(this, Integer.MAX_VALUE);
  }
}

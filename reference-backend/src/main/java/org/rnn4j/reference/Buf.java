package org.rnn4j.reference;

import org.rnn4j.Shapes;
import org.rnn4j.Tensor;

/** The reference backend's array: a shape and a row-major float array, owned by one call. */
final class Buf {
  final int[] shape;
  final float[] data;

  Buf(int[] shape, float[] data) {
    if (Shapes.elementCount(shape) != data.length) {
      throw new IllegalArgumentException("shape " + Shapes.format(shape) + " does not hold " + data.length + " elements");
    }
    this.shape = shape;
    this.data = data;
  }

  static Buf zeros(int... shape) {
    return new Buf(shape, new float[Shapes.elementCount(shape)]);
  }

  /** A copy of a tensor's elements. */
  static Buf of(Tensor t) {
    return new Buf(t.shape(), t.toArray());
  }

  /** A tensor owning this buffer's array (the buffer must not be used afterwards). */
  Tensor toTensor() {
    return Tensor.wrap(shape, data);
  }

  int dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }
}

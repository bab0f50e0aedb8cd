package org.rnn4j.tensorflow;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A float32 graph value with its static shape. Graphs are built per input shape, so every shape
 * is known while building and kernels never have to ask TensorFlow for one.
 */
record Node(Operand<TFloat32> op, int[] shape) {
  int dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }
}

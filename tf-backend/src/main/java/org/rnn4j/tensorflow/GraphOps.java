package org.rnn4j.tensorflow;

import java.nio.FloatBuffer;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Small helpers over {@link Ops} for building rnn4j's graphs. */
final class GraphOps {
  final Ops tf;

  GraphOps(Ops tf) {
    this.tf = tf;
  }

  static Shape shape(int... dims) {
    long[] d = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      d[i] = dims[i];
    }
    return Shape.of(d);
  }

  Operand<TFloat32> constant(float[] data, int... dims) {
    return tf.constant(shape(dims), DataBuffers.of(FloatBuffer.wrap(data).asReadOnlyBuffer()));
  }

  Operand<TFloat32> scalar(float v) {
    return tf.constant(v);
  }

  Operand<TFloat32> zeros(int... dims) {
    return tf.zeros(dims(dims), TFloat32.class);
  }

  Operand<TInt64> dims(int... dims) {
    long[] d = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      d[i] = dims[i];
    }
    return tf.constant(d);
  }

  Operand<TInt32> ints(int... values) {
    return tf.constant(values);
  }

  Operand<TFloat32> reshape(Operand<TFloat32> x, int... dims) {
    return tf.reshape(x, ints(dims));
  }

  Operand<TFloat32> transpose(Operand<TFloat32> x, int... perm) {
    return tf.linalg.transpose(x, ints(perm));
  }

  Operand<TFloat32> matMul(Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.linalg.matMul(a, b);
  }

  Operand<TFloat32> add(Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.add(a, b);
  }

  Operand<TFloat32> mul(Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.mul(a, b);
  }

  Operand<TFloat32> oneMinus(Operand<TFloat32> x) {
    return tf.math.sub(scalar(1f), x);
  }

  /** The n equal parts of x along axis 1. */
  List<Operand<TFloat32>> splitColumns(Operand<TFloat32> x, int n) {
    return new java.util.ArrayList<>(tf.split(tf.constant(1), x, (long) n).output());
  }

  /** The n parts of x along axis 0. */
  List<Operand<TFloat32>> unstack(Operand<TFloat32> x, int n) {
    return new java.util.ArrayList<>(tf.unstack(x, (long) n).output());
  }

  /** Element (index) of x along axis 0. */
  Operand<TFloat32> at(Operand<TFloat32> x, int index) {
    return tf.gather(x, tf.constant(index), tf.constant(0));
  }

  Operand<TBool> positive(Operand<TFloat32> x) {
    return tf.math.greater(x, scalar(0f));
  }
}

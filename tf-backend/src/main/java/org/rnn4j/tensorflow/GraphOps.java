package org.rnn4j.tensorflow;

import java.nio.FloatBuffer;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Small helpers over {@link Ops} for building rnn4j's graphs. */
final class GraphOps {
  final Ops tf;
  /** Where weights are fed (a graph that differentiates, or shares a large model's weights): each weight's placeholder; else null (constants). */
  private final java.util.Map<org.rnn4j.Tensor, org.tensorflow.op.core.Placeholder<TFloat32>> fedWeights;

  /** @param feedWeights whether weights enter as placeholders fed every run rather than as constants */
  GraphOps(Ops tf, boolean feedWeights) {
    this.tf = tf;
    this.fedWeights = feedWeights ? new java.util.IdentityHashMap<>() : null;
  }

  /** A weight of the model in its Keras shape: a constant, or the placeholder fed with it. */
  Operand<TFloat32> weight(org.rnn4j.Tensor w) {
    if (fedWeights == null) {
      return constant(w.toArray(), w.shape());
    }
    return fedWeights.computeIfAbsent(w, k -> tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(shape(k.shape()))));
  }

  /** The placeholder of a fed weight, or null if no operation used it. */
  org.tensorflow.op.core.Placeholder<TFloat32> fedWeight(org.rnn4j.Tensor w) {
    return fedWeights.get(w);
  }

  /** The static shape of a placeholder, as ints. */
  static int[] dims(Placeholder<TFloat32> p) {
    long[] d = p.shape().asArray();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (int) d[i];
    }
    return out;
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

  /**
   * {@code x} with its axes permuted; a reshape where the permutation keeps the order of the axes
   * longer than 1 (a one-step sequence's time-major view), which TensorFlow runs without a copy.
   */
  Operand<TFloat32> transpose(Operand<TFloat32> x, int... perm) {
    if (!x.shape().hasUnknownDimension() && x.shape().numDimensions() == perm.length) {
      long[] shape = x.shape().asArray();
      // the axes longer than 1, in their new order: in their old order, the elements do not move
      if (increasing(java.util.stream.IntStream.of(perm).filter(a -> shape[a] != 1).toArray())) {
        return tf.reshape(x, tf.constant(java.util.stream.IntStream.of(perm).mapToLong(a -> shape[a]).toArray()));
      }
    }
    return tf.linalg.transpose(x, ints(perm));
  }

  private static boolean increasing(int[] axes) {
    for (int i = 1; i < axes.length; i++) {
      if (axes[i] < axes[i - 1]) {
        return false;
      }
    }
    return true;
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

  /** Element (index) of x along axis 0; the only element of an axis of length 1 as a reshape (no copy). */
  Operand<TFloat32> at(Operand<TFloat32> x, int index) {
    if (index == 0 && !x.shape().hasUnknownDimension() && x.shape().numDimensions() > 0 && x.shape().size(0) == 1) {
      return tf.reshape(x, tf.constant(java.util.Arrays.copyOfRange(x.shape().asArray(), 1, x.shape().numDimensions())));
    }
    return tf.gather(x, tf.constant(index), tf.constant(0));
  }

  /**
   * {@code f} applied to the rows of {@code x}'s last axis as a matrix {@code (rows, n)}: softmax
   * and log_softmax go through it, as TensorFlow's registered gradient of LogSoftmax sums over
   * axis 1 whatever the rank.
   */
  Operand<TFloat32> onRows(Operand<TFloat32> x, java.util.function.UnaryOperator<Operand<TFloat32>> f) {
    long[] shape = x.shape().asArray();
    if (shape.length <= 2) {
      return f.apply(x);
    }
    Operand<TFloat32> rows = tf.reshape(x, tf.constant(new long[] {-1, shape[shape.length - 1]}));
    return tf.reshape(f.apply(rows), tf.constant(shape));
  }

  Operand<TBool> positive(Operand<TFloat32> x) {
    return tf.math.greater(x, scalar(0f));
  }
}

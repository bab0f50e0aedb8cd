package org.rnn4j.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.Operation;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
import org.rnn4j.spi.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Merge layers and operation nodes of functional graphs, parametric activations and the layers
 * that move values, as TensorFlow ops.
 */
final class TfGraphOps {
  private TfGraphOps() {}

  static Node combine(GraphOps g, Merge layer, List<Node> inputs) {
    var tf = g.tf;
    Node first = inputs.get(0);
    List<Operand<TFloat32>> ops = new ArrayList<>();
    inputs.forEach(n -> ops.add(n.op()));
    switch (layer.kind()) {
      case CONCATENATE -> {
        int axis = layer.axis(first.shape().length - 1) + 1;
        int[] shape = first.shape().clone();
        shape[axis] = inputs.stream().mapToInt(n -> n.dim(axis)).sum();
        return new Node(tf.concat(ops, tf.constant(axis)), shape);
      }
      case DOT -> {
        Operand<TFloat32> x = ops.get(0);
        Operand<TFloat32> y = ops.get(1);
        if (first.shape().length == 2) {
          if (layer.normalize()) {
            x = l2Normalize(g, x, -1);
            y = l2Normalize(g, y, -1);
          }
          Operand<TFloat32> sum = tf.reduceSum(g.mul(x, y), tf.constant(-1), ReduceSum.keepDims(true));
          return new Node(sum, new int[] {first.dim(0), 1});
        }
        int a = layer.dotAxis(0, 2);
        int b = layer.dotAxis(1, 2);
        layer.checkContracted(first.dim(a + 1), inputs.get(1).dim(b + 1));
        if (layer.normalize()) {
          x = l2Normalize(g, x, a + 1);
          y = l2Normalize(g, y, b + 1);
        }
        // contract axis a of x with axis b of y: x (adjoint when a is its rows) times y (adjoint when b is its columns)
        Operand<TFloat32> product = tf.train.batchMatMul(x, y, TFloat32.class,
            org.tensorflow.op.train.BatchMatMul.adjX(a == 0), org.tensorflow.op.train.BatchMatMul.adjY(b == 1));
        Node other = inputs.get(1);
        int[] shape = {first.dim(0), first.dim(2 - a), other.dim(2 - b)};
        return new Node(product, shape);
      }
      default -> {
        Operand<TFloat32> out = ops.get(0);
        for (Operand<TFloat32> o : ops.subList(1, ops.size())) {
          out = switch (layer.kind()) {
            case ADD, AVERAGE -> g.add(out, o);
            case SUBTRACT -> tf.math.sub(out, o);
            case MULTIPLY -> g.mul(out, o);
            case MAXIMUM -> tf.math.maximum(out, o);
            case MINIMUM -> tf.math.minimum(out, o);
            default -> throw new IllegalStateException(layer.kind().toString());
          };
        }
        if (layer.kind() == Merge.Kind.AVERAGE) {
          out = tf.math.div(out, g.scalar(inputs.size()));
        }
        return new Node(out, first.shape());
      }
    }
  }

  /** Keras' l2_normalize along {@code axis}: {@code x / sqrt(max(sum(x²), 1e-12))}. */
  private static Operand<TFloat32> l2Normalize(GraphOps g, Operand<TFloat32> x, int axis) {
    var tf = g.tf;
    Operand<TFloat32> squares = tf.reduceSum(tf.math.square(x), tf.constant(axis), ReduceSum.keepDims(true));
    return g.mul(x, tf.math.rsqrt(tf.math.maximum(squares, g.scalar(1e-12f))));
  }

  static Node operation(GraphOps g, Operation op, List<Node> inputs) {
    var tf = g.tf;
    Node first = inputs.get(0);
    List<Operand<TFloat32>> operands = new ArrayList<>();
    int next = 0;
    for (Float c : op.operands()) {
      operands.add(c != null ? g.scalar(c) : inputs.get(next++).op()); // a constant broadcasts
    }
    Operand<TFloat32> a = operands.get(0);
    Operand<TFloat32> b = operands.size() > 1 ? operands.get(1) : null;
    Operand<TFloat32> out = switch (op.kind()) {
      case EQUAL -> bool(g, tf.math.equal(a, b));
      case NOT_EQUAL -> bool(g, tf.math.notEqual(a, b));
      case GREATER -> bool(g, tf.math.greater(a, b));
      case GREATER_EQUAL -> bool(g, tf.math.greaterEqual(a, b));
      case LESS -> bool(g, tf.math.less(a, b));
      case LESS_EQUAL -> bool(g, tf.math.lessEqual(a, b));
      case ADD -> g.add(a, b);
      case SUBTRACT -> tf.math.sub(a, b);
      case MULTIPLY -> g.mul(a, b);
      case DIVIDE -> tf.math.div(a, b);
      case MAXIMUM -> tf.math.maximum(a, b);
      case MINIMUM -> tf.math.minimum(a, b);
      case LOGICAL_AND -> bool(g, tf.math.logicalAnd(nonZero(g, a), nonZero(g, b)));
      case LOGICAL_OR -> bool(g, tf.math.logicalOr(nonZero(g, a), nonZero(g, b)));
      case LOGICAL_NOT -> bool(g, tf.math.logicalNot(nonZero(g, a)));
      case NEGATIVE -> tf.math.neg(a);
      case CAST_FLOAT -> a;
      case CAST_INT -> tf.dtypes.cast(tf.dtypes.cast(a, org.tensorflow.types.TInt64.class), TFloat32.class);
      case CAST_BOOL -> bool(g, nonZero(g, a));
    };
    return new Node(out, first.shape());
  }

  private static Operand<TBool> nonZero(GraphOps g, Operand<TFloat32> x) {
    return g.tf.math.notEqual(x, g.scalar(0f));
  }

  private static Operand<TFloat32> bool(GraphOps g, Operand<TBool> b) {
    return g.tf.dtypes.cast(b, TFloat32.class);
  }

  /** The parametric activations, written as Keras' TensorFlow backend computes them. */
  static Node rectify(GraphOps g, Rectifier layer, LayerWeights weights, Node x) {
    var tf = g.tf;
    Operand<TFloat32> v = x.op();
    Operand<TFloat32> zero = g.scalar(0f);
    Operand<TFloat32> y = switch (layer.kind()) {
      case RELU -> {
        float t = (float) layer.threshold();
        Operand<TFloat32> pos = t != 0 ? g.mul(v, tf.dtypes.cast(tf.math.greater(v, g.scalar(t)), TFloat32.class)) : tf.nn.relu(v);
        if (!Double.isInfinite(layer.maxValue())) {
          pos = tf.clipByValue(pos, zero, g.scalar((float) layer.maxValue()));
        }
        if (layer.slope() != 0) {
          Operand<TFloat32> negative = tf.nn.relu(g.add(tf.math.neg(v), g.scalar(t)));
          pos = tf.math.sub(pos, g.mul(g.scalar((float) layer.slope()), negative));
        }
        yield pos;
      }
      case LEAKY_RELU -> tf.nn.leakyRelu(v, org.tensorflow.op.nn.LeakyRelu.alpha((float) layer.slope()));
      case ELU -> tf.select(tf.math.greater(v, zero), v, g.mul(g.scalar((float) layer.slope()), tf.math.expm1(v)));
      case THRESHOLDED_RELU -> g.mul(v, tf.dtypes.cast(tf.math.greater(v, g.scalar((float) layer.threshold())), TFloat32.class));
      case PRELU -> {
        Operand<TFloat32> a = g.weight(weights.get(0)); // broadcasts over the batch and shared axes
        yield tf.math.sub(tf.nn.relu(v), g.mul(a, tf.nn.relu(tf.math.neg(v))));
      }
    };
    return new Node(y, x.shape());
  }

  /** Output element i of each sample gathered from input element sources[i] (a zero column for -1). */
  static Node rearrange(GraphOps g, Rearrange layer, Node x) {
    var tf = g.tf;
    int batch = x.dim(0);
    int[] sample = java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length);
    int[] sources = layer.sources(sample);
    int per = org.rnn4j.Shapes.elementCount(sample);
    Operand<TFloat32> flat = g.reshape(x.op(), batch, per);
    boolean zeros = java.util.Arrays.stream(sources).anyMatch(s -> s < 0);
    if (zeros) {
      flat = tf.concat(List.of(flat, g.zeros(batch, 1)), tf.constant(1));
    }
    int[] index = java.util.Arrays.stream(sources).map(s -> s < 0 ? per : s).toArray();
    Operand<TFloat32> gathered = tf.gather(flat, tf.constant(index), tf.constant(1));
    int[] outSample = layer.outputShape(sample);
    int[] shape = new int[outSample.length + 1];
    shape[0] = batch;
    System.arraycopy(outSample, 0, shape, 1, outSample.length);
    return new Node(g.reshape(gathered, shape), shape);
  }
}

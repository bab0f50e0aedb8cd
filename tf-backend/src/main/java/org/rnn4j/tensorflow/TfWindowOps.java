package org.rnn4j.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Pooling;
import org.rnn4j.spi.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Convolution, pooling, global pooling and normalization as TensorFlow ops. A convolution is the
 * sum over its taps of a strided slice of the zero-padded input times that tap's kernel (one
 * MatMul per tap and group): plain, differentiable ops that give every padding, stride, dilation
 * and group count of Keras' Conv1D.
 */
final class TfWindowOps {
  private TfWindowOps() {}

  static Node conv1d(GraphOps g, Conv1D layer, LayerWeights weights, Node x) {
    var tf = g.tf;
    int batch = x.dim(0);
    int steps = x.dim(1);
    int channels = x.dim(2);
    int filters = layer.filters();
    int groups = layer.groups();
    int groupIn = channels / groups;
    int groupOut = filters / groups;
    int out = layer.outputLength(steps);
    int left = layer.padLeft(steps);
    int needed = (out - 1) * layer.strides() + layer.span();
    int right = Math.max(needed - left - steps, 0);
    Operand<TFloat32> padded = tf.pad(x.op(), tf.constant(new int[][] {{0, 0}, {left, right}, {0, 0}}), g.scalar(0f));
    // (kernel_size, groupIn, filters); a separable convolution's depthwise kernel (kernel_size, in,
    // depth_multiplier) holds the same elements in that order
    Operand<TFloat32> kernel = g.reshape(g.weight(weights.get(0)), layer.kernelSize(), groupIn, filters);
    List<Operand<TFloat32>> perGroup = new ArrayList<>();
    for (int gr = 0; gr < groups; gr++) {
      Operand<TFloat32> sum = null;
      for (int j = 0; j < layer.kernelSize(); j++) {
        int start = j * layer.dilation();
        Operand<TFloat32> taps = tf.stridedSlice(padded,
            g.ints(0, start, gr * groupIn), g.ints(batch, start + (out - 1) * layer.strides() + 1, (gr + 1) * groupIn),
            g.ints(1, layer.strides(), 1));
        // tap j's weights for this group's filters
        Operand<TFloat32> w = g.reshape(tf.slice(kernel, g.ints(j, 0, gr * groupOut), g.ints(1, groupIn, groupOut)), groupIn, groupOut);
        Operand<TFloat32> product = g.matMul(g.reshape(taps, batch * out, groupIn), w);
        sum = sum == null ? product : g.add(sum, product);
      }
      perGroup.add(sum);
    }
    Operand<TFloat32> y = groups == 1 ? perGroup.get(0) : tf.concat(perGroup, tf.constant(-1));
    if (layer.useBias()) {
      y = tf.nn.biasAdd(y, g.weight(weights.get(1)));
    }
    y = TfActivations.apply(g, layer.activation(), y);
    return new Node(g.reshape(y, batch, out, filters), new int[] {batch, out, filters});
  }

  static Node pool(GraphOps g, Pooling layer, Node x) {
    var tf = g.tf;
    int batch = x.dim(0);
    int channels = x.dim(2);
    int out = layer.outputShape(new int[] {x.dim(1), channels})[0];
    // (batch, 1, steps, channels): TensorFlow's 2-D pooling over a one-row image
    Operand<TFloat32> image = tf.expandDims(x.op(), tf.constant(1));
    String padding = layer.same() ? "SAME" : "VALID";
    Operand<TFloat32> pooled =
        layer.kind() == Pooling.Kind.MAX
            ? tf.nn.maxPool(image, g.ints(1, 1, layer.poolSize(), 1), g.ints(1, 1, layer.strides(), 1), padding)
            : tf.nn.avgPool(image, List.of(1L, 1L, (long) layer.poolSize(), 1L), List.of(1L, 1L, (long) layer.strides(), 1L), padding);
    return new Node(g.reshape(pooled, batch, out, channels), new int[] {batch, out, channels});
  }

  static Node globalPool(GraphOps g, GlobalPooling layer, Node x, Node mask) {
    var tf = g.tf;
    int batch = x.dim(0);
    int channels = x.dim(2);
    Operand<TFloat32> y;
    if (layer.kind() == Pooling.Kind.MAX) {
      y = tf.reduceMax(x.op(), tf.constant(1), ReduceMax.keepDims(false));
    } else if (mask == null) {
      y = tf.math.mean(x.op(), tf.constant(1), Mean.keepDims(false));
    } else {
      Operand<TFloat32> m = tf.expandDims(mask.op(), tf.constant(-1)); // (batch, steps, 1)
      Operand<TFloat32> sum = tf.reduceSum(g.mul(x.op(), m), tf.constant(1), ReduceSum.keepDims(false));
      y = tf.math.div(sum, tf.reduceSum(m, tf.constant(1), ReduceSum.keepDims(false)));
    }
    int[] shape = layer.keepDims() ? new int[] {batch, 1, channels} : new int[] {batch, channels};
    return new Node(g.reshape(y, shape), shape);
  }

  /** {@code x·inv + (beta − mean·inv)} with {@code inv = gamma / sqrt(variance + epsilon)}, as Keras writes it. */
  static Node normalize(GraphOps g, Normalization layer, LayerWeights weights, Node x) {
    var tf = g.tf;
    int width = x.dim(-1);
    if (layer.kind() == Normalization.Kind.STANDARDIZE) {
      float[][] given = layer.statistics(width);
      Operand<TFloat32> mean = given != null ? g.constant(given[0], width) : g.reshape(g.weight(weights.get(0)), width);
      Operand<TFloat32> variance = given != null ? g.constant(given[1], width) : g.reshape(g.weight(weights.get(1)), width);
      Operand<TFloat32> sd = tf.math.maximum(tf.math.sqrt(variance), g.scalar((float) layer.epsilon()));
      Operand<TFloat32> y = layer.invert() ? g.add(mean, g.mul(x.op(), sd)) : tf.math.div(tf.math.sub(x.op(), mean), sd);
      return new Node(y, x.shape());
    }
    int w = 0;
    Operand<TFloat32> gamma = layer.scale() ? g.weight(weights.get(w++)) : null;
    Operand<TFloat32> beta = layer.center() ? g.weight(weights.get(w++)) : null;
    Operand<TFloat32> mean;
    Operand<TFloat32> variance;
    if (layer.kind() == Normalization.Kind.BATCH) {
      mean = g.weight(weights.get(w++));
      variance = g.weight(weights.get(w));
    } else {
      mean = tf.math.mean(x.op(), tf.constant(-1), Mean.keepDims(true));
      variance = tf.math.mean(tf.math.squaredDifference(x.op(), mean), tf.constant(-1), Mean.keepDims(true));
    }
    Operand<TFloat32> inv = tf.math.rsqrt(g.add(variance, g.scalar((float) layer.epsilon())));
    if (gamma != null) {
      inv = g.mul(inv, gamma);
    }
    Operand<TFloat32> shift = tf.math.neg(g.mul(mean, inv));
    if (beta != null) {
      shift = g.add(shift, beta);
    }
    return new Node(g.add(g.mul(x.op(), inv), shift), x.shape());
  }
}

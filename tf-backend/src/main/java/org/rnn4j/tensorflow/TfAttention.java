package org.rnn4j.tensorflow;

import java.util.List;
import org.rnn4j.layers.Attention;
import org.rnn4j.spi.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/** Attention and AdditiveAttention as TensorFlow ops, written as Keras computes them. */
final class TfAttention {
  private TfAttention() {}

  static List<Node> attention(GraphOps g, Attention layer, LayerWeights weights, List<Node> inputs, Node queryMask, Node valueMask,
      boolean causal) {
    var tf = g.tf;
    Node q = inputs.get(0);
    Node v = inputs.get(1);
    Node k = inputs.size() > 2 ? inputs.get(2) : v;
    int batch = q.dim(0);
    int tq = q.dim(1);
    int tv = v.dim(1);
    int w = 0;
    Operand<TFloat32> scale = null;
    if (layer.useScale()) {
      org.rnn4j.Tensor s = weights.get(w++);
      scale = g.constant(s.toArray(), s.shape());
    }
    Operand<TFloat32> scores;
    if (layer.kind() == Attention.Kind.DOT) {
      scores = tf.train.batchMatMul(q.op(), k.op(), TFloat32.class, BatchMatMul.adjY(true));
      if (scale != null) {
        scores = g.mul(scores, scale);
      }
    } else {
      // (batch, tq, 1, dim) + (batch, 1, tv, dim)
      Operand<TFloat32> sum = g.add(tf.expandDims(q.op(), tf.constant(-2)), tf.expandDims(k.op(), tf.constant(-3)));
      if (layer.kind() == Attention.Kind.CONCAT) {
        Operand<TFloat32> inner = scale != null ? g.mul(scale, sum) : sum;
        org.rnn4j.Tensor cw = weights.get(w);
        scores = g.mul(g.constant(cw.toArray(), cw.shape()), tf.reduceSum(tf.math.tanh(inner), tf.constant(-1), ReduceSum.keepDims(false)));
      } else {
        Operand<TFloat32> squashed = tf.math.tanh(sum);
        scores = tf.reduceSum(scale != null ? g.mul(scale, squashed) : squashed, tf.constant(-1), ReduceSum.keepDims(false));
      }
    }
    Operand<TFloat32> keep = null; // 1 where a (query, value) pair may attend, broadcast to (batch, tq, tv)
    if (valueMask != null) {
      keep = tf.expandDims(valueMask.op(), tf.constant(1));
    }
    if (causal) {
      float[] lower = new float[tq * tv];
      for (int i = 0; i < tq; i++) {
        for (int j = 0; j <= i && j < tv; j++) {
          lower[i * tv + j] = 1f;
        }
      }
      Operand<TFloat32> c = g.constant(lower, 1, tq, tv);
      keep = keep == null ? c : g.mul(keep, c);
    }
    if (keep != null) {
      scores = tf.math.sub(scores, g.mul(g.scalar(1.0e9f), g.oneMinus(keep)));
    }
    Operand<TFloat32> probabilities = tf.nn.softmax(scores);
    Operand<TFloat32> result = tf.train.batchMatMul(probabilities, v.op(), TFloat32.class);
    if (queryMask != null) {
      result = g.mul(result, tf.expandDims(queryMask.op(), tf.constant(-1)));
    }
    return List.of(new Node(result, new int[] {batch, tq, v.dim(2)}), new Node(probabilities, new int[] {batch, tq, tv}));
  }
}

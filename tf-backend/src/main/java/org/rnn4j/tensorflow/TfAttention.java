package org.rnn4j.tensorflow;

import java.util.List;
import org.rnn4j.layers.Attention;
import org.rnn4j.spi.AttentionMasks;
import org.rnn4j.spi.LayerWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/** Attention and AdditiveAttention as TensorFlow ops, written as Keras computes them. */
final class TfAttention {
  private TfAttention() {}

  static List<Node> attention(GraphOps g, Attention layer, LayerWeights weights, List<Node> inputs, AttentionMasks<Node> masks) {
    var tf = g.tf;
    Node queryMask = masks.query();
    Node valueMask = masks.value();
    boolean causal = masks.causal();
    Node q = inputs.get(0);
    Node v = inputs.get(1);
    Node k = inputs.size() > 2 ? inputs.get(2) : v;
    int batch = q.dim(0);
    int tq = q.dim(1);
    int tv = v.dim(1);
    int w = 0;
    Operand<TFloat32> scale = null;
    if (layer.useScale()) {
      scale = g.weight(weights.get(w++));
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
        scores = g.mul(g.weight(weights.get(w)), tf.reduceSum(tf.math.tanh(inner), tf.constant(-1), ReduceSum.keepDims(false)));
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
      Operand<TFloat32> c = causalKeep(g, tq, tv);
      keep = keep == null ? c : g.mul(keep, c);
    }
    if (keep != null) {
      scores = tf.math.sub(scores, g.mul(g.scalar(1.0e9f), g.oneMinus(keep)));
    }
    Operand<TFloat32> probabilities = g.onRows(scores, tf.nn::softmax);
    Operand<TFloat32> result = tf.train.batchMatMul(probabilities, v.op(), TFloat32.class);
    if (queryMask != null) {
      result = g.mul(result, tf.expandDims(queryMask.op(), tf.constant(-1)));
    }
    return List.of(new Node(result, new int[] {batch, tq, v.dim(2)}), new Node(probabilities, new int[] {batch, tq, tv}));
  }

  /** MultiHeadAttention: the projections as MatMuls, heads as a batch axis, Keras' masking and scaling. */
  static List<Node> multiHead(GraphOps g, org.rnn4j.layers.MultiHeadAttention layer, LayerWeights weights, List<Node> inputs,
      AttentionMasks<Node> masks) {
    var tf = g.tf;
    Node queryMask = masks.query();
    boolean causal = masks.causal();
    Node query = inputs.get(0);
    Node value = inputs.get(1);
    Node key = inputs.size() > 2 ? inputs.get(2) : value;
    int batch = query.dim(0);
    int tq = query.dim(1);
    int tv = value.dim(1);
    int heads = layer.heads();
    int kd = layer.keyDim();
    int vd = layer.valueDim();
    int out = layer.outputDim(query.dim(2));
    int w = 0;
    boolean bias = layer.useBias();
    Operand<TFloat32> q = headsOf(g, project(g, query, weights.get(w++), bias ? weights.get(w++) : null, heads * kd), batch, tq, heads, kd);
    Operand<TFloat32> k = headsOf(g, project(g, key, weights.get(w++), bias ? weights.get(w++) : null, heads * kd), batch, tv, heads, kd);
    Operand<TFloat32> v = headsOf(g, project(g, value, weights.get(w++), bias ? weights.get(w++) : null, heads * vd), batch, tv, heads, vd);
    q = g.mul(q, g.scalar((float) (1.0 / Math.sqrt(kd))));
    Operand<TFloat32> scores = tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)); // (batch, heads, tq, tv)
    Operand<TFloat32> keep = null; // (batch, tq, tv) or broadcastable
    if (queryMask != null) {
      keep = tf.expandDims(queryMask.op(), tf.constant(-1));
    }
    for (Node m : java.util.Arrays.asList(masks.value(), masks.key())) {
      if (m != null) {
        Operand<TFloat32> column = tf.expandDims(m.op(), tf.constant(1));
        keep = keep == null ? column : g.mul(keep, column);
      }
    }
    if (masks.pairs() != null) {
      // Keras casts attention_mask to bool: any nonzero value attends
      Operand<TFloat32> pairs = tf.dtypes.cast(tf.math.notEqual(masks.pairs().op(), g.scalar(0f)), TFloat32.class);
      keep = keep == null ? pairs : g.mul(keep, pairs);
    }
    if (causal) {
      Operand<TFloat32> c = causalKeep(g, tq, tv);
      keep = keep == null ? c : g.mul(keep, c);
    }
    if (keep != null) {
      scores = g.add(scores, g.mul(g.scalar(-1.0e9f), g.oneMinus(tf.expandDims(keep, tf.constant(1)))));
    }
    Operand<TFloat32> probabilities = g.onRows(scores, tf.nn::softmax);
    Operand<TFloat32> context = tf.train.batchMatMul(probabilities, v, TFloat32.class); // (batch, heads, tq, vd)
    context = g.reshape(g.transpose(context, 0, 2, 1, 3), batch * tq, heads * vd);
    Operand<TFloat32> y = g.matMul(context, g.reshape(g.weight(weights.get(w++)), heads * vd, out));
    if (bias) {
      y = tf.nn.biasAdd(y, g.weight(weights.get(w)));
    }
    return List.of(new Node(g.reshape(y, batch, tq, out), new int[] {batch, tq, out}),
        new Node(probabilities, new int[] {batch, heads, tq, tv}));
  }

  /** x (batch, t, in) · kernel (in, width) + bias: a (batch·t, width) projection. */
  private static Operand<TFloat32> project(GraphOps g, Node x, org.rnn4j.Tensor kernel, org.rnn4j.Tensor bias, int width) {
    int in = x.dim(2);
    Operand<TFloat32> y = g.matMul(g.reshape(x.op(), x.dim(0) * x.dim(1), in), g.reshape(g.weight(kernel), in, width));
    return bias == null ? y : g.tf.nn.biasAdd(y, g.reshape(g.weight(bias), width));
  }

  /** (batch·t, heads·size) to (batch, heads, t, size). */
  private static Operand<TFloat32> headsOf(GraphOps g, Operand<TFloat32> x, int batch, int t, int heads, int size) {
    return g.transpose(g.reshape(x, batch, t, heads, size), 0, 2, 1, 3);
  }

  /** (1, tq, tv): 1 where query step i may see value step j, that is j <= i. */
  private static Operand<TFloat32> causalKeep(GraphOps g, int tq, int tv) {
    float[] lower = new float[tq * tv];
    for (int i = 0; i < tq; i++) {
      for (int j = 0; j <= i && j < tv; j++) {
        lower[i * tv + j] = 1f;
      }
    }
    return g.constant(lower, 1, tq, tv);
  }
}

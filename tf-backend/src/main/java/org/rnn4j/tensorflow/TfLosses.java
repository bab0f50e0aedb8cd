package org.rnn4j.tensorflow;

import org.rnn4j.Loss;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras 3's losses as graph ops, in float32 as Keras computes them (definitions in {@link Loss}):
 * one value per row of the last axis, then the mean, or with a mask {@code Σ m·ℓ / (Σ m + 1e-7)}.
 */
final class TfLosses {
  private TfLosses() {}

  /**
   * @param prediction {@code (batch, ..., n)}
   * @param target the prediction's shape, or its shape without the last axis (class ids) for sparse categorical crossentropy
   * @param mask the prediction's mask (its shape without the last axis), or null
   */
  static Operand<TFloat32> scalar(GraphOps g, Loss loss, Node prediction, Operand<TFloat32> target, Node mask) {
    Operand<TFloat32> p = prediction.op();
    Operand<TFloat32> perRow =
        switch (loss.kind()) {
          case MEAN_SQUARED_ERROR -> g.tf.math.mean(g.tf.math.squaredDifference(p, target), g.tf.constant(-1));
          case MEAN_ABSOLUTE_ERROR -> g.tf.math.mean(g.tf.math.abs(g.tf.math.sub(p, target)), g.tf.constant(-1));
          case BINARY_CROSSENTROPY -> g.tf.math.mean(binary(g, p, target, loss.fromLogits()), g.tf.constant(-1));
          case CATEGORICAL_CROSSENTROPY -> {
            Operand<TFloat32> logProbabilities = loss.fromLogits() ? g.onRows(p, g.tf.nn::logSoftmax) : g.tf.math.log(clip(g, normalized(g, p)));
            yield g.tf.math.neg(g.tf.reduceSum(g.mul(target, logProbabilities), g.tf.constant(-1)));
          }
          case SPARSE_CATEGORICAL_CROSSENTROPY -> {
            Operand<TFloat32> logits = loss.fromLogits() ? p : g.tf.math.log(clip(g, p));
            int classes = prediction.dim(-1);
            Operand<TInt32> ids = g.tf.dtypes.cast(target, TInt32.class);
            Operand<TFloat32> oneHot = g.tf.oneHot(ids, g.tf.constant(classes), g.scalar(1f), g.scalar(0f));
            yield g.tf.math.neg(g.tf.reduceSum(g.mul(oneHot, g.onRows(logits, g.tf.nn::logSoftmax)), g.tf.constant(-1)));
          }
        };
    int rank = prediction.shape().length - 1;
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    if (mask == null) {
      return g.tf.math.mean(perRow, g.ints(axes));
    }
    Operand<TFloat32> sum = g.tf.reduceSum(g.mul(perRow, mask.op()), g.ints(axes));
    Operand<TFloat32> valid = g.tf.reduceSum(mask.op(), g.ints(axes));
    return g.tf.math.div(sum, g.add(valid, g.scalar((float) Loss.EPSILON)));
  }

  /** {@code max(x, 0) − x·y + log(1 + exp(−|x|))} from logits, else {@code −(y·log q + (1 − y)·log(1 − q))} of the clipped q. */
  private static Operand<TFloat32> binary(GraphOps g, Operand<TFloat32> p, Operand<TFloat32> y, boolean fromLogits) {
    if (fromLogits) {
      Operand<TFloat32> relu = g.tf.math.maximum(p, g.scalar(0f));
      Operand<TFloat32> soft = g.tf.math.log1p(g.tf.math.exp(g.tf.math.neg(g.tf.math.abs(p))));
      return g.add(g.tf.math.sub(relu, g.mul(p, y)), soft);
    }
    Operand<TFloat32> q = clip(g, p);
    Operand<TFloat32> both = g.add(g.mul(y, g.tf.math.log(q)), g.mul(g.oneMinus(y), g.tf.math.log(g.oneMinus(q))));
    return g.tf.math.neg(both);
  }

  private static Operand<TFloat32> normalized(GraphOps g, Operand<TFloat32> p) {
    return g.tf.math.div(p, g.tf.reduceSum(p, g.tf.constant(-1), org.tensorflow.op.core.ReduceSum.keepDims(true)));
  }

  private static Operand<TFloat32> clip(GraphOps g, Operand<TFloat32> q) {
    return g.tf.clipByValue(q, g.scalar((float) Loss.EPSILON), g.scalar((float) (1.0 - Loss.EPSILON)));
  }
}

package org.rnn4j.tensorflow;

import org.rnn4j.layers.Activation;
import org.tensorflow.Operand;
import org.tensorflow.framework.activations.ELU;
import org.tensorflow.framework.activations.Exponential;
import org.tensorflow.framework.activations.GELU;
import org.tensorflow.framework.activations.HardSigmoid;
import org.tensorflow.framework.activations.ReLU;
import org.tensorflow.framework.activations.SELU;
import org.tensorflow.framework.activations.Sigmoid;
import org.tensorflow.framework.activations.Softplus;
import org.tensorflow.framework.activations.Softsign;
import org.tensorflow.framework.activations.Swish;
import org.tensorflow.framework.activations.Tanh;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * Every {@link Activation} as TensorFlow ops: tensorflow-framework's Keras activations where it
 * has the same definition, TensorFlow's own ops or a short composition for the rest (Keras 3's
 * hard_sigmoid and hard_silu, relu6, leaky_relu, mish).
 */
final class TfActivations {
  private TfActivations() {}

  static Operand<TFloat32> apply(GraphOps g, Activation a, Operand<TFloat32> x) {
    var tf = g.tf;
    return switch (a) {
      case LINEAR -> x;
      case TANH -> Tanh.tanh(tf, x);
      case SIGMOID -> Sigmoid.sigmoid(tf, x);
      case HARD_SIGMOID -> HardSigmoid.hardSigmoid(tf, x);
      case HARD_SIGMOID_KERAS3 -> hardSigmoidKeras3(g, x);
      case RELU -> ReLU.relu(tf, x);
      case RELU6 -> tf.nn.relu6(x);
      case LEAKY_RELU -> tf.nn.leakyRelu(x, LeakyRelu.alpha(0.2f));
      case ELU -> ELU.elu(tf, x, 1.0);
      case SELU -> SELU.selu(tf, x);
      case SOFTPLUS -> Softplus.softplus(tf, x);
      case SOFTSIGN -> Softsign.softsign(tf, x);
      case SILU -> Swish.swish(tf, x);
      case GELU -> GELU.gelu(tf, x, false);
      case HARD_SILU -> g.mul(x, hardSigmoidKeras3(g, x));
      case EXPONENTIAL -> Exponential.exponential(tf, x);
      case MISH -> g.mul(x, tf.math.tanh(tf.math.softplus(x)));
      case CELU -> g.add(tf.math.maximum(x, g.scalar(0f)), tf.math.expm1(tf.math.minimum(x, g.scalar(0f))));
      case HARD_TANH -> tf.clipByValue(x, g.scalar(-1f), g.scalar(1f));
      case HARD_SHRINK -> tf.select(tf.math.greater(tf.math.abs(x), g.scalar(0.5f)), x, tf.zerosLike(x));
      case SOFT_SHRINK ->
          tf.select(tf.math.greater(x, g.scalar(0.5f)), tf.math.sub(x, g.scalar(0.5f)),
              tf.select(tf.math.less(x, g.scalar(-0.5f)), g.add(x, g.scalar(0.5f)), tf.zerosLike(x)));
      case LOG_SIGMOID -> tf.math.neg(tf.math.softplus(tf.math.neg(x)));
      case SPARSE_PLUS -> {
        Operand<TFloat32> plusOne = g.add(x, g.scalar(1f));
        yield tf.select(tf.math.lessEqual(x, g.scalar(-1f)), tf.zerosLike(x),
            tf.select(tf.math.greaterEqual(x, g.scalar(1f)), x, g.mul(g.scalar(0.25f), tf.math.square(plusOne))));
      }
      case SQUAREPLUS -> tf.math.div(g.add(x, tf.math.sqrt(g.add(tf.math.square(x), g.scalar(4f)))), g.scalar(2f));
      case TANH_SHRINK -> tf.math.sub(x, tf.math.tanh(x));
      case SOFTMAX -> g.onRows(x, tf.nn::softmax);
      case LOG_SOFTMAX -> g.onRows(x, tf.nn::logSoftmax);
      case SPARSEMAX -> sparsemax(g, x);
      case CRELU -> tf.concat(java.util.List.of(tf.nn.relu(x), tf.nn.relu(tf.math.neg(x))), tf.constant(-1));
      case GLU -> {
        var halves = tf.split(tf.constant(-1), x, 2L);
        yield g.mul(halves.output().get(0), tf.math.sigmoid(halves.output().get(1)));
      }
    };
  }

  /**
   * Sparsemax along the last axis: with the row sorted in decreasing order and its running sums
   * {@code s_k}, the support is every {@code k} where {@code 1 + k·z_k > s_k}; {@code tau} is
   * (the sum over the support − 1) / its size, and the output {@code max(x − tau, 0)}.
   */
  /**
   * Sparsemax without sorting (TensorFlow has no gradient for TopK): element i's rank among the
   * row, {@code k_i = #{j : x_j ≥ x_i}}, and {@code S_i = Σ_{x_j ≥ x_i} x_j} from pairwise
   * comparisons; i is in the support where {@code 1 + k_i·x_i > S_i} (the largest value always,
   * even where rounding says otherwise), {@code tau = (Σ_support x − 1) / |support|}.
   */
  private static Operand<TFloat32> sparsemax(GraphOps g, Operand<TFloat32> x) {
    var tf = g.tf;
    Operand<TFloat32> xi = tf.expandDims(x, tf.constant(-1));
    Operand<TFloat32> xj = tf.expandDims(x, tf.constant(-2));
    Operand<TFloat32> atLeast = tf.dtypes.cast(tf.math.greaterEqual(xj, xi), TFloat32.class); // [i][j]: x_j >= x_i
    Operand<TFloat32> k = tf.reduceSum(atLeast, g.ints(-1));
    Operand<TFloat32> sums = tf.reduceSum(g.mul(atLeast, xj), g.ints(-1));
    Operand<TFloat32> inSupport = tf.dtypes.cast(tf.math.greater(g.add(g.scalar(1f), g.mul(k, x)), sums), TFloat32.class);
    Operand<TFloat32> largest = tf.dtypes.cast(
        tf.math.greaterEqual(x, tf.reduceMax(x, g.ints(-1), org.tensorflow.op.core.ReduceMax.keepDims(true))), TFloat32.class);
    Operand<TFloat32> support = tf.math.maximum(inSupport, largest);
    Operand<TFloat32> size = tf.reduceSum(support, g.ints(-1), org.tensorflow.op.core.ReduceSum.keepDims(true));
    Operand<TFloat32> supportSum = tf.reduceSum(g.mul(support, x), g.ints(-1), org.tensorflow.op.core.ReduceSum.keepDims(true));
    Operand<TFloat32> tau = tf.math.div(tf.math.sub(supportSum, g.scalar(1f)), size);
    return tf.nn.relu(tf.math.sub(x, tau));
  }


  /** Keras 3: relu6(x + 3) / 6. */
  private static Operand<TFloat32> hardSigmoidKeras3(GraphOps g, Operand<TFloat32> x) {
    return g.tf.math.div(g.tf.nn.relu6(g.add(x, g.scalar(3f))), g.scalar(6f));
  }
}

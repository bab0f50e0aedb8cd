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
    };
  }

  /** Keras 3: relu6(x + 3) / 6. */
  private static Operand<TFloat32> hardSigmoidKeras3(GraphOps g, Operand<TFloat32> x) {
    return g.tf.math.div(g.tf.nn.relu6(g.add(x, g.scalar(3f))), g.scalar(6f));
  }
}

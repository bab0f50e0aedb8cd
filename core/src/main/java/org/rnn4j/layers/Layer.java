package org.rnn4j.layers;

import java.util.List;

/**
 * A Keras layer that rnn4j can run. Shapes here exclude the batch axis; -1 stands for a size
 * Keras leaves open ({@code None}), typically the number of time steps.
 */
public sealed interface Layer
    permits RNN,
        Bidirectional,
        Dense,
        TimeDistributed,
        Embedding,
        Masking,
        ActivationLayer,
        Flatten,
        RepeatVector,
        Conv1D,
        SeparableConv1D,
        Pooling,
        GlobalPooling,
        Normalization,
        Merge,
        Operation,
        Rectifier,
        Rearrange,
        Attention,
        MultiHeadAttention,
        NestedModel,
        InferenceIdentity {

  /** The layer's name, or null to let the model give it a Keras-style default. */
  String name();

  /** The Keras class name ({@code LSTM}, {@code Dense}, ...). */
  String kerasClassName();

  /**
   * The shape of the layer's (first) output for an input of the given shape.
   *
   * @throws org.rnn4j.InvalidModelException naming the layer if the input shape does not fit
   */
  int[] outputShape(int[] inputShape);

  /** The layer's weights for that input shape, in Keras {@code get_weights()} order (none by default). */
  default List<WeightSpec> weightSpecs(int[] inputShape) {
    return List.of();
  }

  /** The name Keras gives an unnamed layer of this class: {@code lstm}, {@code simple_rnn}, ... */
  default String defaultName() {
    return StackedRNNCells.snakeCase(kerasClassName());
  }
}

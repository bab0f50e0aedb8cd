package org.rnn4j.spi;

import java.util.List;
import org.rnn4j.layers.RNN;

/**
 * One recurrent layer to run over a whole sequence. The backend honours the layer's {@code
 * go_backwards} and {@code zero_output_for_mask}; see {@link Kernels#recurrent}.
 *
 * @param layer the layer's configuration (cell, go_backwards, zero_output_for_mask)
 * @param weights the layer's weights in Keras order
 * @param input {@code (batch, time, features)}
 * @param mask {@code (batch, time)} with 1 for valid steps, or null
 * @param initialState the initial states in Keras' flattened order, or null for zeros
 * @param returnSequence whether the caller needs every step's output
 */
public record RecurrentCall<V>(
    RNN layer, LayerWeights weights, V input, V mask, List<V> initialState, boolean returnSequence) {}

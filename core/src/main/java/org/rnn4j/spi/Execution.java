package org.rnn4j.spi;

import java.util.List;
import org.rnn4j.LayerStates;
import org.rnn4j.Tensor;

/**
 * A backend's answer to a call: the model's outputs and every recurrent layer's final states (in
 * Keras' flattened order), from which core assembles the {@link org.rnn4j.Result}.
 */
public record Execution(List<Tensor> outputs, LayerStates finalStates) {}

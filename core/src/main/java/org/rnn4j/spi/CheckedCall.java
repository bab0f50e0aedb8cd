package org.rnn4j.spi;

import org.rnn4j.LayerStates;
import org.rnn4j.Mask;
import org.rnn4j.Tensor;

/**
 * A call already checked against the model: the input's shape fits, the mask (if any) is {@code
 * (batch, time)}, and every initial state has the right count and shapes. Backends receive only
 * checked calls.
 *
 * @param input the input, {@code (batch, ...)}
 * @param mask the explicit mask, or null
 * @param initialStates initial states by recurrent layer index (layers absent start from zeros)
 * @param batch the batch size
 * @param steps the number of time steps, or -1 when the input has no time axis
 */
public record CheckedCall(Tensor input, Mask mask, LayerStates initialStates, int batch, int steps) {}

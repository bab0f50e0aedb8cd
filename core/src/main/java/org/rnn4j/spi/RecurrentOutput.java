package org.rnn4j.spi;

import java.util.List;

/**
 * A recurrent layer's results.
 *
 * @param sequence every step's output {@code (batch, time, units)} in processing order, or null
 *     when not requested
 * @param last the output of the last processed step {@code (batch, units)}
 * @param states the final states in Keras' flattened order
 */
public record RecurrentOutput<V>(V sequence, V last, List<V> states) {}

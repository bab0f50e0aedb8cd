package org.rnn4j.spi;

/**
 * What an attention layer's call may not attend to, as Keras combines it: a (query step, value
 * step) pair takes part only where every mask given allows it. Masks hold 1 (attend) and 0.
 *
 * @param query the query's mask {@code (batch, query time)}, or null
 * @param value the value's mask {@code (batch, value time)}, or null
 * @param key a separate key's mask {@code (batch, value time)}, or null
 * @param pairs {@code MultiHeadAttention}'s {@code attention_mask} {@code (batch, query time, value
 *     time)}, or null
 * @param causal whether query step i may attend to value steps up to i only
 */
public record AttentionMasks<V>(V query, V value, V key, V pairs, boolean causal) {}

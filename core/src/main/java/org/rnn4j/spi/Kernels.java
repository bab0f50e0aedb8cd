package org.rnn4j.spi;

import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.MergeMode;

/**
 * The operations a backend provides on its own array handles {@code V} (Java arrays for the
 * reference backend, graph operands for TensorFlow). {@link ModelExecutor} composes them into
 * Keras' layer semantics, which are therefore written once for every backend; a backend only has
 * to compute each operation exactly.
 *
 * <p>Shapes include the batch axis. Masks are {@code (batch, time)} with 1 for valid steps and 0
 * for masked ones.
 */
public interface Kernels<V> {

  /**
   * Runs a recurrent layer over time with Keras' {@code RNN} semantics: steps in order (reversed
   * with {@code go_backwards}, the mask reversed with them); at a masked step the states are
   * carried unchanged and the output is the previous step's output (zeros before any valid step)
   * or zeros with {@code zero_output_for_mask}; the returned sequence is in processing order and
   * the last output is the sequence's last element.
   */
  RecurrentOutput<V> recurrent(RecurrentCall<V> call);

  /** The {@code (batch, time)} mask of a {@code Masking(mask_value)} layer: valid where any feature differs. */
  V maskFromValues(V input, float maskValue);

  /** The input with masked steps set to zero, as Keras' {@code Masking} layer outputs it. */
  V applyMask(V input, V mask);

  /** The {@code (batch, time)} mask of {@code Embedding(mask_zero=True)}: valid where the id is not 0. */
  V maskFromIds(V ids);

  /** Embedding lookup: {@code (batch, time)} ids to {@code (batch, time, output_dim)}. */
  V embedding(Embedding layer, LayerWeights weights, V ids);

  /** {@code activation(x·kernel + bias)} on the last axis of {@code x} (rank 2 or 3). */
  V dense(Dense layer, LayerWeights weights, V x);

  /** An element-wise activation. */
  V activation(Activation activation, V x);

  /** A sequence {@code (batch, time, f)} with its time axis reversed. */
  V reverseTime(V sequence);

  /** Merges a Bidirectional layer's forward and backward outputs (never {@link MergeMode#NONE}). */
  V merge(MergeMode mode, V forward, V backward);

  /** {@code (batch, d1, d2, ...)} to {@code (batch, d1·d2·...)}. */
  V flatten(V x);

  /** {@code (batch, f)} to {@code (batch, n, f)}. */
  V repeat(V x, int n);
}

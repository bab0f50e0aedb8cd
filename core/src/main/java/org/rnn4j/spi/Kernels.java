package org.rnn4j.spi;

import java.util.List;

import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Attention;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.MultiHeadAttention;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Operation;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
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

  /**
   * The mask of a {@code Masking(mask_value)} layer, shaped as the input without its last axis
   * ({@code (batch, time)} for a sequence): valid where any element of the last axis differs.
   */
  V maskFromValues(V input, float maskValue);

  /** The input with its masked rows (along the last axis) set to zero, as Keras' {@code Masking} layer outputs it. */
  V applyMask(V input, V mask);

  /** The {@code (batch, time)} mask of {@code Embedding(mask_zero=True)}: valid where the id is not 0. */
  V maskFromIds(V ids);

  /** Embedding lookup: {@code (batch, time)} ids to {@code (batch, time, output_dim)}. */
  V embedding(Embedding layer, LayerWeights weights, V ids);

  /**
   * {@code activation(x·kernel + bias)} on the last axis of {@code x} (rank 2 or 3); the
   * activation keeps the width (it may act along the last axis, as softmax does).
   */
  V dense(Dense layer, LayerWeights weights, V x);

  /** An activation: element-wise, or along the last axis (which {@code crelu} and {@code glu} resize). */
  V activation(Activation activation, V x);

  /** A sequence {@code (batch, time, f)} with its time axis reversed. */
  V reverseTime(V sequence);

  /** Merges a Bidirectional layer's forward and backward outputs (never {@link MergeMode#NONE}). */
  V merge(MergeMode mode, V forward, V backward);

  /** {@code (batch, d1, d2, ...)} to {@code (batch, d1·d2·...)}. */
  V flatten(V x);

  /** {@code (batch, f)} to {@code (batch, n, f)}. */
  V repeat(V x, int n);

  /** Keras {@code Conv1D} on {@code (batch, steps, channels)}, activation included (see {@link Conv1D}). */
  V conv1d(Conv1D layer, LayerWeights weights, V x);

  /** Keras {@code MaxPooling1D} or {@code AveragePooling1D} on {@code (batch, steps, channels)}. */
  V pool(Pooling layer, V x);

  /**
   * Keras {@code GlobalMaxPooling1D} or {@code GlobalAveragePooling1D}: {@code (batch, steps,
   * channels)} to {@code (batch, channels)} (or {@code (batch, 1, channels)} with keepdims); the
   * average is over the valid steps of {@code mask} when there is one.
   */
  V globalPool(GlobalPooling layer, V x, V mask);

  /** Keras {@code BatchNormalization} (moving statistics) or {@code LayerNormalization} on the last axis. */
  V normalize(Normalization layer, LayerWeights weights, V x);

  /** A merge layer ({@code Concatenate}, {@code Add}, ..., {@code Dot}) on its inputs. */
  V combine(Merge layer, List<V> inputs);

  /** An element-wise operation node on its tensor inputs (constants come from {@code operation}). */
  V operation(Operation operation, List<V> inputs);

  /** A parametric activation layer ({@code ReLU}, {@code LeakyReLU}, {@code ELU}, {@code PReLU}, ...). */
  V rectify(Rectifier layer, LayerWeights weights, V x);

  /**
   * An attention layer on {@code [query, value]} or {@code [query, value, key]}: the result, then
   * the attention weights (after masking and softmax). Result rows at masked query steps are
   * zeroed; {@code masks} has no key or pair mask.
   */
  List<V> attention(Attention layer, LayerWeights weights, List<V> inputs, AttentionMasks<V> masks);

  /**
   * {@code MultiHeadAttention} on {@code [query, value]} or {@code [query, value, key]}: the
   * output, then the attention weights {@code (batch, heads, query time, value time)}.
   */
  List<V> multiHeadAttention(MultiHeadAttention layer, LayerWeights weights, List<V> inputs, AttentionMasks<V> masks);

  /** {@code (batch, time, ...)} to {@code (batch · time, ...)}: a time-distributed layer's steps as one batch. */
  V foldTime(V x);

  /** The inverse of {@link #foldTime}: {@code (batch · time, ...)} back to {@code (batch, time, ...)} of {@code like}'s batch and time. */
  V unfoldTime(V y, V like);

  /** A layer that moves values ({@code Reshape}, {@code Permute}, ...): output element i of a sample copies {@code layer.sources(...)[i]}. */
  V rearrange(Rearrange layer, V x);
}

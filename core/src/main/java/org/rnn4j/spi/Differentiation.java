package org.rnn4j.spi;

import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.TimeDistributed;

/**
 * Which models rnn4j can differentiate, decided once for every backend before any gradient is
 * computed: the recurrent layers (every cell, stacked or bidirectional), Dense, TimeDistributed,
 * Embedding, Masking, the merges (but Dot), the activation layers and the layers that only move or pass values, each
 * with activations that have a derivative. Other layers are refused by name.
 */
public final class Differentiation {
  private Differentiation() {}

  /**
   * @throws UnsupportedFeatureException naming the first layer (by index and Keras name) that has
   *     no backward pass, and why
   */
  public static void check(Architecture architecture) {
    for (int i = 0; i < architecture.layers().size(); i++) {
      String why = unsupported(architecture.layer(i));
      if (why != null) {
        throw new UnsupportedFeatureException("gradients: layer " + i + " ('" + architecture.layerName(i) + "', "
            + architecture.layer(i).kerasClassName() + ") " + why);
      }
    }
  }

  /** Why {@code layer} cannot be differentiated, or null if it can. */
  private static String unsupported(Layer layer) {
    if (layer instanceof RNN r) {
      return cells(r);
    }
    if (layer instanceof Bidirectional b) {
      String why = cells(b.forwardLayer());
      return why != null ? why : cells(b.backwardLayer());
    }
    if (layer instanceof Dense d) {
      return activation(d.activation());
    }
    if (layer instanceof TimeDistributed t) {
      return unsupported(t.layer());
    }
    if (layer instanceof ActivationLayer a) {
      return activation(a.activation());
    }
    if (layer instanceof Merge) {
      return null;
    }
    if (layer instanceof org.rnn4j.layers.Conv1D c) {
      return activation(c.activation());
    }
    if (layer instanceof org.rnn4j.layers.Pooling || layer instanceof org.rnn4j.layers.GlobalPooling
        || layer instanceof org.rnn4j.layers.Rectifier || layer instanceof org.rnn4j.layers.Rearrange
        || layer instanceof org.rnn4j.layers.Normalization) {
      return null;
    }
    if (layer instanceof org.rnn4j.layers.Attention || layer instanceof org.rnn4j.layers.MultiHeadAttention) {
      return null;
    }
    if (layer instanceof org.rnn4j.layers.NestedModel n) {
      org.rnn4j.layers.Architecture inner = n.model();
      for (int i = 0; i < inner.layers().size(); i++) {
        String why = unsupported(inner.layer(i));
        if (why != null) {
          return "holds layer '" + inner.layerName(i) + "' (" + inner.layer(i).kerasClassName() + "), which " + why;
        }
      }
      return null;
    }
    if (layer instanceof org.rnn4j.layers.Operation) {
      return null; // arithmetic is differentiated; comparisons, logic and casts to int or bool pass no gradient
    }
    if (layer instanceof Embedding || layer instanceof Masking || layer instanceof Flatten || layer instanceof RepeatVector
        || layer instanceof InferenceIdentity) {
      return null;
    }
    return "has no backward pass in rnn4j yet (differentiable: LSTM, GRU, SimpleRNN, RNN, Bidirectional, Dense, "
        + "TimeDistributed, Embedding, Masking, Activation, the parametric activation layers, Flatten, RepeatVector, Reshape, Permute, Cropping1D, ZeroPadding1D, UpSampling1D, Conv1D, "
        + "the poolings, the normalizations, the attention layers, the merges, keras.ops nodes and the inference identities)";
  }

  private static String cells(RNN layer) {
    for (SingleCell cell : layer.cell().cells()) {
      String why = activation(cell.activation());
      if (why == null && cell instanceof LSTMCell lstm) {
        why = activation(lstm.recurrentActivation());
      } else if (why == null && cell instanceof org.rnn4j.layers.GRUCell gru) {
        why = activation(gru.recurrentActivation());
      }
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private static String activation(Activation a) {
    return a.differentiable() ? null : "uses activation '" + a.kerasName() + "', which has no derivative in rnn4j yet";
  }
}

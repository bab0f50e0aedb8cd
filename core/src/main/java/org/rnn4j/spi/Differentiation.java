package org.rnn4j.spi;

import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.NestedModel;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.TimeDistributed;

/**
 * Which models rnn4j can differentiate, decided once for every backend before any gradient is
 * computed. Every layer rnn4j runs has a backward pass; what is refused, by layer name, is an
 * activation without a derivative ({@link Activation#differentiable}: hard_shrink, whose value
 * jumps) wherever a layer uses one.
 */
public final class Differentiation {
  private Differentiation() {}

  /**
   * @throws UnsupportedFeatureException naming the first layer (by index and Keras name) that
   *     cannot be differentiated, and why
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
    if (layer instanceof Conv1D c) {
      return activation(c.activation());
    }
    if (layer instanceof org.rnn4j.layers.SeparableConv1D s) {
      return activation(s.activation());
    }
    if (layer instanceof ActivationLayer a) {
      return activation(a.activation());
    }
    if (layer instanceof TimeDistributed t) {
      return unsupported(t.layer());
    }
    if (layer instanceof NestedModel n) {
      Architecture inner = n.model();
      for (int i = 0; i < inner.layers().size(); i++) {
        String why = unsupported(inner.layer(i));
        if (why != null) {
          return "holds layer '" + inner.layerName(i) + "' (" + inner.layer(i).kerasClassName() + "), which " + why;
        }
      }
    }
    return null;
  }

  private static String cells(RNN layer) {
    for (SingleCell cell : layer.cell().cells()) {
      String why = activation(cell.activation());
      if (why == null && cell instanceof LSTMCell lstm) {
        why = activation(lstm.recurrentActivation());
      } else if (why == null && cell instanceof GRUCell gru) {
        why = activation(gru.recurrentActivation());
      }
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private static String activation(Activation a) {
    return a.differentiable() ? null : "uses activation '" + a.kerasName() + "', whose value jumps: it has no derivative to take";
  }
}

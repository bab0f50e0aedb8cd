package org.rnn4j.layers;

import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/** Input-shape checks shared by the layers, with messages that name the layer. */
final class LayerShapes {
  private LayerShapes() {}

  static void requireRank(Layer layer, int[] inputShape, int rank, String meaning) {
    if (inputShape.length != rank) {
      throw new InvalidModelException(
          describe(layer)
              + " expects input of shape "
              + meaning
              + " (without batch), got "
              + Shapes.format(inputShape));
    }
  }

  static int lastDim(Layer layer, int[] inputShape) {
    if (inputShape.length == 0 || inputShape[inputShape.length - 1] < 0) {
      throw new InvalidModelException(
          describe(layer) + " needs a known last dimension, got " + Shapes.format(inputShape));
    }
    return inputShape[inputShape.length - 1];
  }

  static String describe(Layer layer) {
    return layer.kerasClassName() + (layer.name() == null ? "" : " '" + layer.name() + "'");
  }
}

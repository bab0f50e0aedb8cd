package org.rnn4j.layers;

import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/** Keras {@code Flatten}: every axis but the batch folded into one, row-major. */
public final class Flatten implements Layer {
  private final String name;

  private Flatten(String name) {
    this.name = name;
  }

  public static Flatten of() {
    return new Flatten(null);
  }

  public static Flatten of(String name) {
    return new Flatten(name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "Flatten";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    for (int d : inputShape) {
      if (d < 0) {
        throw new InvalidModelException(
            LayerShapes.describe(this)
                + " needs a fully known input shape, got "
                + Shapes.format(inputShape));
      }
    }
    return new int[] {Shapes.elementCount(inputShape)};
  }


  @Override
  public String toString() {
    return "Flatten()";
  }
}

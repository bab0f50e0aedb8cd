package org.rnn4j.layers;

import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * The shape (without batch) and kind of a model's input, as a Keras {@code Input(shape=...)}: -1
 * leaves a dimension open (Keras' {@code None}). Float inputs are {@code float32}; integer inputs
 * (ids for an {@link Embedding}) arrive as float32 arrays holding whole numbers.
 */
public final class InputSpec {
  private final int[] shape;
  private final boolean integerIds;

  private InputSpec(int[] shape, boolean integerIds) {
    for (int d : shape) {
      if (d < -1 || d == 0) {
        throw new InvalidModelException("input shape " + Shapes.format(shape) + " has an invalid dimension");
      }
    }
    this.shape = shape.clone();
    this.integerIds = integerIds;
  }

  /** A float input of the given shape (without batch); -1 leaves a dimension open. */
  public static InputSpec of(int... shape) {
    return new InputSpec(shape, false);
  }

  /** A float sequence input {@code (None, features)}. */
  public static InputSpec sequence(int features) {
    return of(-1, features);
  }

  /** An integer-id input {@code (time,)} for an {@link Embedding}; -1 leaves the length open. */
  public static InputSpec ids(int time) {
    return new InputSpec(new int[] {time}, true);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** Whether the input holds integer ids. */
  public boolean integerIds() {
    return integerIds;
  }

  @Override
  public String toString() {
    return Shapes.format(shape) + (integerIds ? " ids" : "");
  }
}

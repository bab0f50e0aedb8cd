package org.rnn4j.layers;

import java.util.Arrays;
import java.util.Objects;
import org.rnn4j.Shapes;
import org.rnn4j.initializers.Initializer;

/**
 * One weight a layer owns: its name (Keras-style path such as {@code lstm/kernel} or {@code
 * rnn/lstm_cell_1/recurrent_kernel}), its exact shape in Keras layout, and how it is initialized.
 */
public final class WeightSpec {
  private final String name;
  private final int[] shape;
  private final Initializer initializer;
  private final boolean trainable;

  public WeightSpec(String name, int[] shape, Initializer initializer) {
    this(name, shape, initializer, true);
  }

  /** @param trainable false for a statistic training does not change by gradients (Keras' non-trainable weights) */
  public WeightSpec(String name, int[] shape, Initializer initializer, boolean trainable) {
    this.name = Objects.requireNonNull(name);
    this.shape = shape.clone();
    this.initializer = Objects.requireNonNull(initializer);
    this.trainable = trainable;
  }

  /** Whether an optimizer updates it (false for moving statistics and adapted preprocessing statistics). */
  public boolean trainable() {
    return trainable;
  }

  public String name() {
    return name;
  }

  public int[] shape() {
    return shape.clone();
  }

  public Initializer initializer() {
    return initializer;
  }

  /** The number of elements. */
  public int size() {
    return Shapes.elementCount(shape);
  }

  /** The same weight under a name prefixed with {@code prefix/}. */
  public WeightSpec prefixed(String prefix) {
    return new WeightSpec(prefix + "/" + name, shape, initializer, trainable);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightSpec w
        && w.name.equals(name)
        && Arrays.equals(w.shape, shape)
        && w.initializer.equals(initializer)
        && w.trainable == trainable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), initializer);
  }

  @Override
  public String toString() {
    return name + Shapes.format(shape);
  }
}

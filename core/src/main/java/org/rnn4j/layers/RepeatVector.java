package org.rnn4j.layers;

import org.rnn4j.InvalidModelException;

/** Keras {@code RepeatVector(n)}: a {@code (features,)} input repeated to {@code (n, features)}. */
public final class RepeatVector implements Layer {
  private final int n;
  private final String name;

  private RepeatVector(int n, String name) {
    if (n <= 0) {
      throw new InvalidModelException("RepeatVector: n must be positive, got " + n);
    }
    this.n = n;
    this.name = name;
  }

  public static RepeatVector of(int n) {
    return new RepeatVector(n, null);
  }

  public static RepeatVector of(int n, String name) {
    return new RepeatVector(n, name);
  }

  public int n() {
    return n;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "RepeatVector";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.requireRank(this, inputShape, 1, "(features,)");
    return new int[] {n, inputShape[0]};
  }


  @Override
  public String toString() {
    return "RepeatVector(" + n + ")";
  }
}

package org.rnn4j.layers;

import java.util.List;

/**
 * Keras {@code TimeDistributed(Dense(...))}: the dense layer applied to every time step of a
 * {@code (time, features)} input. Its weights are the inner layer's.
 */
public final class TimeDistributed implements Layer {
  private final Dense layer;
  private final String name;

  private TimeDistributed(Dense layer, String name) {
    this.layer = layer;
    this.name = name;
  }

  public static TimeDistributed of(Dense layer) {
    return new TimeDistributed(layer, null);
  }

  public static TimeDistributed of(Dense layer, String name) {
    return new TimeDistributed(layer, name);
  }

  public Dense layer() {
    return layer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "TimeDistributed";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.requireRank(this, inputShape, 2, "(time, features)");
    return layer.outputShape(inputShape);
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    return layer.weightSpecs(inputShape);
  }

  @Override
  public String toString() {
    return "TimeDistributed(" + layer + ")";
  }
}

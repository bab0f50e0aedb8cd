package org.rnn4j.layers;

import java.util.List;

/** Keras {@code SimpleRNNCell}: {@code h' = φ(x·W + b + h·U)}; output h', state [h']. */
public final class SimpleRNNCell extends SingleCell {
  private SimpleRNNCell(Builder b) {
    super(b);
  }

  /** A SimpleRNN cell with Keras' defaults. */
  public static SimpleRNNCell of(int units) {
    return builder(units).build();
  }

  public static Builder builder(int units) {
    return new Builder(units);
  }

  @Override
  public int gateCount() {
    return 1;
  }

  @Override
  public List<Integer> stateSizes() {
    return List.of(units());
  }

  @Override
  public List<String> stateNames() {
    return List.of("h");
  }

  @Override
  public String kerasClassName() {
    return "SimpleRNNCell";
  }

  @Override
  public String toString() {
    return "SimpleRNNCell(" + describeCommon() + ")";
  }

  /** Builder with Keras' defaults. */
  public static final class Builder extends SingleCell.Builder<Builder> {
    private Builder(int units) {
      super(units);
    }

    @Override
    Builder self() {
      return this;
    }

    @Override
    public SimpleRNNCell build() {
      return new SimpleRNNCell(this);
    }
  }
}

package org.rnn4j.layers;

/** Keras {@code GRU(units, ...)}: the shorthand for {@code RNN(GRUCell(units, ...))}. */
public final class GRU {
  private GRU() {}

  /** {@code GRU(units)} with Keras' defaults (reset_after=true). */
  public static RNN of(int units) {
    return builder(units).build();
  }

  public static Builder builder(int units) {
    return new Builder(units);
  }

  /** Builder with Keras' defaults. */
  public static final class Builder extends RNN.CellLayerBuilder<Builder, GRUCell.Builder> {
    private Builder(int units) {
      super(GRUCell.builder(units));
    }

    @Override
    Builder self() {
      return this;
    }

    public Builder recurrentActivation(Activation recurrentActivation) {
      cell.recurrentActivation(recurrentActivation);
      return this;
    }

    public Builder resetAfter(boolean resetAfter) {
      cell.resetAfter(resetAfter);
      return this;
    }

    @Override
    public RNN build() {
      return build("GRU");
    }
  }
}

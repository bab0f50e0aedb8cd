package org.rnn4j.layers;

/** Keras {@code SimpleRNN(units, ...)}: the shorthand for {@code RNN(SimpleRNNCell(units, ...))}. */
public final class SimpleRNN {
  private SimpleRNN() {}

  /** {@code SimpleRNN(units)} with Keras' defaults. */
  public static RNN of(int units) {
    return builder(units).build();
  }

  public static Builder builder(int units) {
    return new Builder(units);
  }

  /** Builder with Keras' defaults. */
  public static final class Builder extends RNN.CellLayerBuilder<Builder, SimpleRNNCell.Builder> {
    private Builder(int units) {
      super(SimpleRNNCell.builder(units));
    }

    @Override
    Builder self() {
      return this;
    }

    @Override
    public RNN build() {
      return build("SimpleRNN");
    }
  }
}

package org.rnn4j.layers;

/**
 * Keras {@code LSTM(units, ...)}: the shorthand for {@code RNN(LSTMCell(units, ...))}, taking both
 * the cell's and the layer's arguments.
 *
 * <pre>{@code
 * RNN lstm = LSTM.builder(4).returnSequences(true).returnState(true).build();
 * }</pre>
 */
public final class LSTM {
  private LSTM() {}

  /** {@code LSTM(units)} with Keras' defaults. */
  public static RNN of(int units) {
    return builder(units).build();
  }

  public static Builder builder(int units) {
    return new Builder(units);
  }

  /** Builder with Keras' defaults. */
  public static final class Builder extends RNN.CellLayerBuilder<Builder, LSTMCell.Builder> {
    private Builder(int units) {
      super(LSTMCell.builder(units));
    }

    @Override
    Builder self() {
      return this;
    }

    public Builder recurrentActivation(Activation recurrentActivation) {
      cell.recurrentActivation(recurrentActivation);
      return this;
    }

    public Builder unitForgetBias(boolean unitForgetBias) {
      cell.unitForgetBias(unitForgetBias);
      return this;
    }

    @Override
    public RNN build() {
      return build("LSTM");
    }
  }
}

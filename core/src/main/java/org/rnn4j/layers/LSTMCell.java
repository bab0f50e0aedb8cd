package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.UnitForgetBias;

/**
 * Keras {@code LSTMCell}. Gate blocks along the kernels' last axis are i, f, c, o:
 *
 * <pre>
 * z = x·W + h·U + b;  i = σ(z_i)  f = σ(z_f)  g = φ(z_c)  o = σ(z_o)
 * c' = f∘c + i∘g;     h' = o∘φ(c')            output h'; states [h', c']
 * </pre>
 *
 * where σ is {@code recurrent_activation} (default sigmoid) and φ is {@code activation} (default
 * tanh). {@code unit_forget_bias} (default true) only sets the forget block of the initial bias to
 * one.
 */
public final class LSTMCell extends SingleCell {
  private final Activation recurrentActivation;
  private final boolean unitForgetBias;

  private LSTMCell(Builder b) {
    super(b);
    this.recurrentActivation = keepsWidth(b.recurrentActivation, "recurrent_activation");
    this.unitForgetBias = b.unitForgetBias;
  }

  /** An LSTM cell with Keras' defaults. */
  public static LSTMCell of(int units) {
    return builder(units).build();
  }

  public static Builder builder(int units) {
    return new Builder(units);
  }

  public Activation recurrentActivation() {
    return recurrentActivation;
  }

  public boolean unitForgetBias() {
    return unitForgetBias;
  }

  @Override
  public int gateCount() {
    return 4;
  }

  @Override
  Initializer effectiveBiasInitializer() {
    return unitForgetBias ? new UnitForgetBias(biasInitializer(), units()) : biasInitializer();
  }

  @Override
  public List<Integer> stateSizes() {
    return List.of(units(), units());
  }

  @Override
  public List<String> stateNames() {
    return List.of("h", "c");
  }

  @Override
  public String kerasClassName() {
    return "LSTMCell";
  }

  @Override
  public String toString() {
    return "LSTMCell("
        + describeCommon()
        + ", recurrent_activation="
        + recurrentActivation.kerasName()
        + ", unit_forget_bias="
        + unitForgetBias
        + ")";
  }

  /** Builder with Keras' defaults. */
  public static final class Builder extends SingleCell.Builder<Builder> {
    private Activation recurrentActivation = Activation.SIGMOID;
    private boolean unitForgetBias = true;

    private Builder(int units) {
      super(units);
    }

    @Override
    Builder self() {
      return this;
    }

    public Builder recurrentActivation(Activation recurrentActivation) {
      this.recurrentActivation = recurrentActivation;
      return this;
    }

    public Builder unitForgetBias(boolean unitForgetBias) {
      this.unitForgetBias = unitForgetBias;
      return this;
    }

    @Override
    public LSTMCell build() {
      return new LSTMCell(this);
    }
  }
}

package org.rnn4j.layers;

import java.util.List;

/**
 * Keras {@code GRUCell}. Gate blocks along the kernels' last axis are z (update), r (reset), h
 * (candidate). With {@code reset_after=true} (Keras' default since 2.3) the bias has shape {@code
 * (2, 3u)}, row 0 for the input and row 1 for the recurrent projection:
 *
 * <pre>
 * a = x·W + b0;  r_ = h·U + b1
 * z = σ(a_z + r_z);  r = σ(a_r + r_r);  hh = φ(a_h + r∘r_h);  h' = z∘h + (1−z)∘hh
 * </pre>
 *
 * With {@code reset_after=false} the bias is {@code (3u,)} and {@code hh = φ(x·W_h + (r∘h)·U_h +
 * b_h)}.
 */
public final class GRUCell extends SingleCell {
  private final Activation recurrentActivation;
  private final boolean resetAfter;

  private GRUCell(Builder b) {
    super(b);
    this.recurrentActivation = keepsWidth(b.recurrentActivation, "recurrent_activation");
    this.resetAfter = b.resetAfter;
  }

  /** A GRU cell with Keras' defaults (reset_after=true). */
  public static GRUCell of(int units) {
    return builder(units).build();
  }

  public static Builder builder(int units) {
    return new Builder(units);
  }

  public Activation recurrentActivation() {
    return recurrentActivation;
  }

  public boolean resetAfter() {
    return resetAfter;
  }

  /** reset_after=True keeps a second bias row for the recurrent projection. */
  @Override
  public boolean hasRecurrentBias() {
    return resetAfter;
  }

  @Override
  public int gateCount() {
    return 3;
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
    return "GRUCell";
  }

  @Override
  public String toString() {
    return "GRUCell("
        + describeCommon()
        + ", recurrent_activation="
        + recurrentActivation.kerasName()
        + ", reset_after="
        + resetAfter
        + ")";
  }

  /** Builder with Keras' defaults. */
  public static final class Builder extends SingleCell.Builder<Builder> {
    private Activation recurrentActivation = Activation.SIGMOID;
    private boolean resetAfter = true;

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

    public Builder resetAfter(boolean resetAfter) {
      this.resetAfter = resetAfter;
      return this;
    }

    @Override
    public GRUCell build() {
      return new GRUCell(this);
    }
  }
}

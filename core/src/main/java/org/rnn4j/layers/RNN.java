package org.rnn4j.layers;

import java.util.List;
import java.util.Objects;

/**
 * Keras {@code RNN}: runs a cell over the time axis of a {@code (batch, time, features)} input.
 * {@link LSTM}, {@link GRU} and {@link SimpleRNN} are its shorthands with a fixed cell.
 *
 * <p>It returns the last output {@code (batch, units)}, or with {@code return_sequences} every
 * step's output {@code (batch, time, units)}; with {@code return_state} the final states follow,
 * as the cell nests them. {@code go_backwards} processes steps last to first and returns the
 * sequence in processing order. {@code stateful} layers keep their final states between calls
 * (see {@link org.rnn4j.StatefulModel}). {@code zero_output_for_mask} makes masked steps output
 * zeros instead of repeating the previous output.
 */
public final class RNN implements Layer {
  private final RNNCell cell;
  private final boolean returnSequences;
  private final boolean returnState;
  private final boolean goBackwards;
  private final boolean stateful;
  private final boolean zeroOutputForMask;
  private final String name;
  private final String kerasClassName;

  RNN(LayerBuilder<?> b, RNNCell cell, String kerasClassName) {
    this.cell = Objects.requireNonNull(cell, "cell");
    this.returnSequences = b.returnSequences;
    this.returnState = b.returnState;
    this.goBackwards = b.goBackwards;
    this.stateful = b.stateful;
    this.zeroOutputForMask = b.zeroOutputForMask;
    this.name = b.name;
    this.kerasClassName = kerasClassName;
  }

  /** {@code RNN(cell)} with Keras' defaults (last output only, no state). */
  public static RNN of(RNNCell cell) {
    return builder(cell).build();
  }

  public static Builder builder(RNNCell cell) {
    return new Builder(cell);
  }

  /** A builder holding this layer's settings, to derive a modified copy. */
  public Builder toBuilder() {
    return new Builder(cell)
        .kerasClassName(kerasClassName)
        .returnSequences(returnSequences)
        .returnState(returnState)
        .goBackwards(goBackwards)
        .stateful(stateful)
        .zeroOutputForMask(zeroOutputForMask)
        .name(name);
  }

  public RNNCell cell() {
    return cell;
  }

  public boolean returnSequences() {
    return returnSequences;
  }

  public boolean returnState() {
    return returnState;
  }

  public boolean goBackwards() {
    return goBackwards;
  }

  public boolean stateful() {
    return stateful;
  }

  public boolean zeroOutputForMask() {
    return zeroOutputForMask;
  }

  /** The number of output features. */
  public int units() {
    return cell.outputSize();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return kerasClassName;
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.requireRank(this, inputShape, 2, "(time, features)");
    LayerShapes.lastDim(this, inputShape);
    return returnSequences ? new int[] {inputShape[0], units()} : new int[] {units()};
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    return cell.weightSpecs(LayerShapes.lastDim(this, inputShape));
  }

  @Override
  public String toString() {
    return kerasClassName
        + "("
        + cell
        + ", return_sequences="
        + returnSequences
        + ", return_state="
        + returnState
        + ", go_backwards="
        + goBackwards
        + ", stateful="
        + stateful
        + ", zero_output_for_mask="
        + zeroOutputForMask
        + ")";
  }

  /** The arguments of every recurrent layer, with Keras' defaults (all false). */
  public abstract static class LayerBuilder<B extends LayerBuilder<B>> {
    boolean returnSequences;
    boolean returnState;
    boolean goBackwards;
    boolean stateful;
    boolean zeroOutputForMask;
    String name;

    LayerBuilder() {}

    abstract B self();

    /** Builds the layer. */
    public abstract RNN build();

    public B returnSequences(boolean returnSequences) {
      this.returnSequences = returnSequences;
      return self();
    }

    public B returnState(boolean returnState) {
      this.returnState = returnState;
      return self();
    }

    public B goBackwards(boolean goBackwards) {
      this.goBackwards = goBackwards;
      return self();
    }

    public B stateful(boolean stateful) {
      this.stateful = stateful;
      return self();
    }

    public B zeroOutputForMask(boolean zeroOutputForMask) {
      this.zeroOutputForMask = zeroOutputForMask;
      return self();
    }

    public B name(String name) {
      this.name = name;
      return self();
    }
  }

  /**
   * A recurrent layer builder with a single cell's arguments too ({@code LSTM(units, activation=...,
   * return_sequences=...)}), for the LSTM, GRU and SimpleRNN shorthands.
   */
  public abstract static class CellLayerBuilder<B extends CellLayerBuilder<B, C>, C extends SingleCell.Builder<C>>
      extends LayerBuilder<B> {
    final C cell;

    CellLayerBuilder(C cell) {
      this.cell = cell;
    }

    public B activation(Activation activation) {
      cell.activation(activation);
      return self();
    }

    public B useBias(boolean useBias) {
      cell.useBias(useBias);
      return self();
    }

    public B kernelInitializer(org.rnn4j.initializers.Initializer initializer) {
      cell.kernelInitializer(initializer);
      return self();
    }

    public B recurrentInitializer(org.rnn4j.initializers.Initializer initializer) {
      cell.recurrentInitializer(initializer);
      return self();
    }

    public B biasInitializer(org.rnn4j.initializers.Initializer initializer) {
      cell.biasInitializer(initializer);
      return self();
    }

    RNN build(String kerasClassName) {
      return new RNN(this, cell.build(), kerasClassName);
    }
  }

  /** Builder of an {@code RNN} around any cell. */
  public static final class Builder extends LayerBuilder<Builder> {
    private final RNNCell cell;
    private String kerasClassName = "RNN";

    private Builder(RNNCell cell) {
      this.cell = cell;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * The Keras class the layer is shown as: {@code RNN}, or {@code LSTM}, {@code GRU}, {@code
     * SimpleRNN} when the cell is of the matching type (Keras' shorthand layers).
     */
    public Builder kerasClassName(String kerasClassName) {
      String expectedCell =
          switch (kerasClassName) {
            case "RNN" -> cell.kerasClassName();
            case "LSTM", "CuDNNLSTM" -> "LSTMCell";
            case "GRU", "CuDNNGRU" -> "GRUCell";
            case "SimpleRNN" -> "SimpleRNNCell";
            default -> throw new IllegalArgumentException("not a recurrent layer class: " + kerasClassName);
          };
      if (!expectedCell.equals(cell.kerasClassName())) {
        throw new IllegalArgumentException(kerasClassName + " needs a " + expectedCell + ", got " + cell.kerasClassName());
      }
      this.kerasClassName = kerasClassName;
      return this;
    }

    @Override
    public RNN build() {
      return new RNN(this, cell, kerasClassName);
    }
  }
}

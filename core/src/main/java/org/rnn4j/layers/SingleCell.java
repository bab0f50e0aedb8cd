package org.rnn4j.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rnn4j.InvalidModelException;
import org.rnn4j.initializers.Initializer;

/**
 * A cell that is not a stack: LSTM, GRU or SimpleRNN. Holds the arguments the three share, with
 * Keras' defaults: activation tanh, use_bias true, kernel glorot_uniform, recurrent kernel
 * orthogonal, bias zeros.
 */
public abstract sealed class SingleCell implements RNNCell permits LSTMCell, GRUCell, SimpleRNNCell {
  private final int units;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer recurrentInitializer;
  private final Initializer biasInitializer;
  private final String name;

  SingleCell(Builder<?> b) {
    if (b.units <= 0) {
      throw new InvalidModelException(
          getClass().getSimpleName() + ": units must be positive, got " + b.units);
    }
    this.units = b.units;
    this.activation = keepsWidth(Objects.requireNonNull(b.activation, "activation"), "activation");
    this.useBias = b.useBias;
    this.kernelInitializer = Objects.requireNonNull(b.kernelInitializer, "kernelInitializer");
    this.recurrentInitializer = Objects.requireNonNull(b.recurrentInitializer, "recurrentInitializer");
    this.biasInitializer = Objects.requireNonNull(b.biasInitializer, "biasInitializer");
    this.name = b.name;
  }

  /** A cell's activations must keep the width of its gates and states (Keras fails otherwise). */
  static Activation keepsWidth(Activation a, String argument) {
    if (a.outputWidth(2) != 2) {
      throw new InvalidModelException(
          "a recurrent cell's " + argument + " must keep the width of its states; '" + a.kerasName() + "' does not");
    }
    return a;
  }

  /**
   * Whether the cell's bias has a second row for the recurrent projection (GRU(reset_after=True):
   * bias shape {@code (2, gates·units)}, row 0 added to {@code x·W}, row 1 to {@code h·U}).
   */
  public boolean hasRecurrentBias() {
    return false;
  }

  /**
   * The bias added to the input projection, from the cell's bias in Keras layout (null without
   * bias): the whole bias, or row 0 when {@link #hasRecurrentBias()}.
   */
  public final float[] inputBias(float[] bias) {
    return bias == null || !hasRecurrentBias() ? bias : Arrays.copyOfRange(bias, 0, gateCount() * units);
  }

  /** The bias added to the recurrent projection: row 1 when {@link #hasRecurrentBias()}, else null. */
  public final float[] recurrentBias(float[] bias) {
    int width = gateCount() * units;
    return bias == null || !hasRecurrentBias() ? null : Arrays.copyOfRange(bias, width, 2 * width);
  }

  /** A single cell is its own one cell. */
  @Override
  public List<SingleCell> cells() {
    return List.of(this);
  }

  public int units() {
    return units;
  }

  public Activation activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
  }

  public Initializer kernelInitializer() {
    return kernelInitializer;
  }

  public Initializer recurrentInitializer() {
    return recurrentInitializer;
  }

  public Initializer biasInitializer() {
    return biasInitializer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int outputSize() {
    return units;
  }

  /** How many gate blocks sit side by side in the kernel's last axis (LSTM 4, GRU 3, SimpleRNN 1). */
  public abstract int gateCount();

  /**
   * The Keras weights {@code kernel (in, g*u)}, {@code recurrent_kernel (u, g*u)} and, with a bias,
   * {@code bias} of {@link #biasShape()}.
   */
  @Override
  public List<WeightSpec> weightSpecs(int inputSize) {
    int width = gateCount() * units;
    WeightSpec kernel =
        new WeightSpec("kernel", new int[] {inputSize, width}, kernelInitializer);
    WeightSpec recurrent =
        new WeightSpec("recurrent_kernel", new int[] {units, width}, recurrentInitializer);
    if (!useBias) {
      return List.of(kernel, recurrent);
    }
    return List.of(kernel, recurrent, new WeightSpec("bias", biasShape(), effectiveBiasInitializer()));
  }

  /** The bias shape: {@code (gates·units,)}, or {@code (2, gates·units)} when {@link #hasRecurrentBias()}. */
  public final int[] biasShape() {
    int width = gateCount() * units;
    return hasRecurrentBias() ? new int[] {2, width} : new int[] {width};
  }

  Initializer effectiveBiasInitializer() {
    return biasInitializer;
  }

  String describeCommon() {
    return "units=" + units + ", activation=" + activation.kerasName() + ", use_bias=" + useBias;
  }

  /** Arguments shared by every single cell's builder. */
  public abstract static class Builder<B extends Builder<B>> {
    final int units;
    Activation activation = Activation.TANH;
    boolean useBias = true;
    Initializer kernelInitializer = Initializer.glorotUniform();
    Initializer recurrentInitializer = Initializer.orthogonal();
    Initializer biasInitializer = Initializer.zeros();
    String name;

    Builder(int units) {
      this.units = units;
    }

    abstract B self();

    /** Builds the cell. */
    public abstract SingleCell build();

    public B activation(Activation activation) {
      this.activation = activation;
      return self();
    }

    public B useBias(boolean useBias) {
      this.useBias = useBias;
      return self();
    }

    public B kernelInitializer(Initializer initializer) {
      this.kernelInitializer = initializer;
      return self();
    }

    public B recurrentInitializer(Initializer initializer) {
      this.recurrentInitializer = initializer;
      return self();
    }

    public B biasInitializer(Initializer initializer) {
      this.biasInitializer = initializer;
      return self();
    }

    public B name(String name) {
      this.name = name;
      return self();
    }
  }
}

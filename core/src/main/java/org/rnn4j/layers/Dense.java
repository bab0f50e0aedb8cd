package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.initializers.Initializer;

/**
 * Keras {@code Dense(units, activation, use_bias)}: {@code activation(x·kernel + bias)} on the last
 * axis of any input of rank at least 1 (without batch). Weights: {@code kernel (in, units)}, {@code
 * bias (units,)}.
 */
public final class Dense implements Layer {
  private final int units;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final String name;

  private Dense(Builder b) {
    if (b.units <= 0) {
      throw new InvalidModelException("Dense: units must be positive, got " + b.units);
    }
    this.units = b.units;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
    this.name = b.name;
  }

  /** {@code Dense(units)}: linear, with bias. */
  public static Dense of(int units) {
    return builder(units).build();
  }

  public static Builder builder(int units) {
    return new Builder(units);
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

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "Dense";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.lastDim(this, inputShape);
    int[] out = inputShape.clone();
    out[out.length - 1] = activation.outputWidth(units);
    return out;
  }

  /**
   * The same layer (name, weights) without its activation: {@code x·kernel + bias}. Backends run a
   * Dense whose activation changes the width ({@code crelu}, {@code glu}) as this, then the
   * activation.
   */
  public Dense linear() {
    Builder b = new Builder(units);
    b.useBias = useBias;
    b.kernelInitializer = kernelInitializer;
    b.biasInitializer = biasInitializer;
    b.name = name;
    return new Dense(b);
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    int in = LayerShapes.lastDim(this, inputShape);
    WeightSpec kernel = new WeightSpec("kernel", new int[] {in, units}, kernelInitializer);
    return useBias
        ? List.of(kernel, new WeightSpec("bias", new int[] {units}, biasInitializer))
        : List.of(kernel);
  }

  @Override
  public String toString() {
    return "Dense(" + units + ", activation=" + activation.kerasName() + ", use_bias=" + useBias + ")";
  }

  /** Builder with Keras' defaults: linear, with bias, glorot_uniform kernel, zero bias. */
  public static final class Builder {
    private final int units;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.glorotUniform();
    private Initializer biasInitializer = Initializer.zeros();
    private String name;

    private Builder(int units) {
      this.units = units;
    }

    public Builder activation(Activation activation) {
      this.activation = activation;
      return this;
    }

    public Builder useBias(boolean useBias) {
      this.useBias = useBias;
      return this;
    }

    public Builder kernelInitializer(Initializer initializer) {
      this.kernelInitializer = initializer;
      return this;
    }

    public Builder biasInitializer(Initializer initializer) {
      this.biasInitializer = initializer;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Dense build() {
      return new Dense(this);
    }
  }
}

package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.initializers.Initializer;

/**
 * Keras {@code Conv1D} (channels last): {@code y[t, f] = activation(bias[f] + Σ_j Σ_c x[t·s + j·d −
 * left, c] · kernel[j, c, f])} over the input channels {@code c} of filter {@code f}'s group, with
 * zero padding: none ({@code valid}), TensorFlow's split ({@code same}: the smaller half on the
 * left) or all on the left ({@code causal}). Weights: {@code kernel (kernel_size, in / groups,
 * filters)}, {@code bias (filters,)}.
 */
public final class Conv1D implements Layer {
  /** Keras' padding modes. */
  public enum Padding {
    VALID,
    SAME,
    CAUSAL
  }

  private final int filters;
  private final int kernelSize;
  private final int strides;
  private final Padding padding;
  private final int dilation;
  private final int groups;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final String name;

  private Conv1D(Builder b) {
    if (b.filters <= 0 || b.kernelSize <= 0 || b.strides <= 0 || b.dilation <= 0 || b.groups <= 0) {
      throw new InvalidModelException("Conv1D: filters, kernel_size, strides, dilation_rate and groups must be positive");
    }
    if (b.strides > 1 && b.dilation > 1) {
      throw new InvalidModelException("Conv1D: strides > 1 together with dilation_rate > 1 is not allowed (as in Keras)");
    }
    if (b.filters % b.groups != 0) {
      throw new InvalidModelException("Conv1D: filters (" + b.filters + ") must be a multiple of groups (" + b.groups + ")");
    }
    if (b.activation.outputWidth(2) != 2) {
      throw new InvalidModelException("Conv1D: activation '" + b.activation.kerasName() + "' changes the width; not supported here");
    }
    this.filters = b.filters;
    this.kernelSize = b.kernelSize;
    this.strides = b.strides;
    this.padding = b.padding;
    this.dilation = b.dilation;
    this.groups = b.groups;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
    this.name = b.name;
  }

  /** The same convolution without its activation (a backward pass applies the activation apart). */
  public Conv1D linear() {
    return builder(filters, kernelSize).strides(strides).padding(padding).dilation(dilation).groups(groups).useBias(useBias)
        .kernelInitializer(kernelInitializer).biasInitializer(biasInitializer).name(name).build();
  }

  public static Builder builder(int filters, int kernelSize) {
    return new Builder(filters, kernelSize);
  }

  public int filters() {
    return filters;
  }

  public int kernelSize() {
    return kernelSize;
  }

  public int strides() {
    return strides;
  }

  public Padding padding() {
    return padding;
  }

  public int dilation() {
    return dilation;
  }

  public int groups() {
    return groups;
  }

  public Activation activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
  }

  /** The kernel's reach: {@code dilation · (kernel_size − 1) + 1} steps. */
  public int span() {
    return dilation * (kernelSize - 1) + 1;
  }

  /** The output length for an input of {@code length} steps (-1 stays -1). */
  public int outputLength(int length) {
    return Pooling.outputLength(length, span(), strides, padding != Padding.VALID);
  }

  /** The zero steps padded before the input of {@code length} steps. */
  public int padLeft(int length) {
    return switch (padding) {
      case VALID -> 0;
      case CAUSAL -> span() - 1;
      case SAME -> Pooling.sameTotalPad(length, span(), strides) / 2;
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "Conv1D";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.requireRank(this, inputShape, 2, "(steps, channels)");
    int channels = LayerShapes.lastDim(this, inputShape);
    if (channels % groups != 0) {
      throw new InvalidModelException(
          LayerShapes.describe(this) + ": input channels (" + channels + ") must be a multiple of groups (" + groups + ")");
    }
    int out = outputLength(inputShape[0]);
    if (inputShape[0] >= 0 && out <= 0) {
      throw new InvalidModelException(
          LayerShapes.describe(this) + ": " + inputShape[0] + " steps are fewer than the kernel's reach of " + span());
    }
    return new int[] {out, filters};
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    int channels = LayerShapes.lastDim(this, inputShape);
    WeightSpec kernel = new WeightSpec("kernel", new int[] {kernelSize, channels / groups, filters}, kernelInitializer);
    return useBias ? List.of(kernel, new WeightSpec("bias", new int[] {filters}, biasInitializer)) : List.of(kernel);
  }

  @Override
  public String toString() {
    return "Conv1D(" + filters + ", " + kernelSize + ", strides=" + strides + ", padding=" + padding.name().toLowerCase(java.util.Locale.ROOT)
        + ", dilation_rate=" + dilation + ", groups=" + groups + ", activation=" + activation.kerasName() + ")";
  }

  /** Builder with Keras' defaults: strides 1, valid, dilation 1, one group, linear, with bias. */
  public static final class Builder {
    private final int filters;
    private final int kernelSize;
    private int strides = 1;
    private Padding padding = Padding.VALID;
    private int dilation = 1;
    private int groups = 1;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.glorotUniform();
    private Initializer biasInitializer = Initializer.zeros();
    private String name;

    private Builder(int filters, int kernelSize) {
      this.filters = filters;
      this.kernelSize = kernelSize;
    }

    public Builder strides(int strides) {
      this.strides = strides;
      return this;
    }

    public Builder padding(Padding padding) {
      this.padding = padding;
      return this;
    }

    public Builder dilation(int dilation) {
      this.dilation = dilation;
      return this;
    }

    public Builder groups(int groups) {
      this.groups = groups;
      return this;
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

    public Conv1D build() {
      return new Conv1D(this);
    }
  }
}

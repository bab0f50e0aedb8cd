package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.initializers.Initializer;

/**
 * Keras {@code SeparableConv1D} (channels last): a depthwise convolution, each input channel {@code
 * c} with its own {@code depth_multiplier} filters {@code m} (output channel {@code c·dm + m}), then
 * a pointwise ({@code kernel_size} 1) convolution to {@code filters}, the bias and the activation.
 * Both parts are {@link Conv1D}s: the depthwise one with one group per input channel, whose kernel
 * {@code (kernel_size, 1, in·dm)} is the {@code depthwise_kernel (kernel_size, in, dm)} element for
 * element. Weights: {@code depthwise_kernel (kernel_size, in, dm)}, {@code pointwise_kernel (1,
 * in·dm, filters)}, {@code bias (filters,)}.
 */
public final class SeparableConv1D implements Layer {
  private final int filters;
  private final int depthMultiplier;
  private final Conv1D spatial;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer depthwiseInitializer;
  private final Initializer pointwiseInitializer;
  private final Initializer biasInitializer;
  private final String name;

  /**
   * @param spatial the depthwise part's geometry: kernel_size, strides, padding, dilation_rate (its
   *     filters, groups, activation and bias are not used)
   */
  private SeparableConv1D(int filters, int depthMultiplier, Conv1D spatial, Activation activation, boolean useBias,
      Initializer depthwiseInitializer, Initializer pointwiseInitializer, Initializer biasInitializer, String name) {
    if (filters <= 0 || depthMultiplier <= 0) {
      throw new InvalidModelException("SeparableConv1D: filters and depth_multiplier must be positive");
    }
    this.filters = filters;
    this.depthMultiplier = depthMultiplier;
    this.spatial = spatial;
    this.activation = activation;
    this.useBias = useBias;
    this.depthwiseInitializer = depthwiseInitializer;
    this.pointwiseInitializer = pointwiseInitializer;
    this.biasInitializer = biasInitializer;
    this.name = name;
  }

  /**
   * A separable convolution with Keras' initializers (glorot_uniform kernels, zero bias).
   *
   * @param spatial kernel_size, strides, padding and dilation_rate, as a {@link Conv1D} of any filters
   */
  public static SeparableConv1D of(int filters, int depthMultiplier, Conv1D spatial, Activation activation, boolean useBias, String name) {
    return of(filters, depthMultiplier, spatial, activation, useBias, Initializer.glorotUniform(), Initializer.glorotUniform(),
        Initializer.zeros(), name);
  }

  public static SeparableConv1D of(int filters, int depthMultiplier, Conv1D spatial, Activation activation, boolean useBias,
      Initializer depthwiseInitializer, Initializer pointwiseInitializer, Initializer biasInitializer, String name) {
    return new SeparableConv1D(filters, depthMultiplier, spatial, activation, useBias, depthwiseInitializer, pointwiseInitializer,
        biasInitializer, name);
  }

  /** The depthwise part for {@code in} input channels: one group per channel, no bias, linear. */
  public Conv1D depthwise(int in) {
    return Conv1D.builder(in * depthMultiplier, spatial.kernelSize()).strides(spatial.strides())
        .padding(spatial.padding()).dilation(spatial.dilation()).groups(in).useBias(false).name(name).build();
  }

  /** The pointwise part: a kernel_size-1 convolution to {@code filters}, with the bias and the activation. */
  public Conv1D pointwise() {
    return Conv1D.builder(filters, 1).useBias(useBias).activation(activation).name(name).build();
  }

  public int filters() {
    return filters;
  }

  public int depthMultiplier() {
    return depthMultiplier;
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
    return "SeparableConv1D";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.requireRank(this, inputShape, 2, "(steps, channels)");
    LayerShapes.lastDim(this, inputShape);
    int out = spatial.outputLength(inputShape[0]);
    if (inputShape[0] >= 0 && out <= 0) {
      throw new InvalidModelException(
          LayerShapes.describe(this) + ": " + inputShape[0] + " steps are fewer than the kernel's reach of " + spatial.span());
    }
    return new int[] {out, filters};
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    int in = LayerShapes.lastDim(this, inputShape);
    WeightSpec depthwise = new WeightSpec("depthwise_kernel", new int[] {spatial.kernelSize(), in, depthMultiplier}, depthwiseInitializer);
    WeightSpec pointwise = new WeightSpec("pointwise_kernel", new int[] {1, in * depthMultiplier, filters}, pointwiseInitializer);
    return useBias ? List.of(depthwise, pointwise, new WeightSpec("bias", new int[] {filters}, biasInitializer)) : List.of(depthwise, pointwise);
  }

  @Override
  public String toString() {
    return "SeparableConv1D(" + filters + ", " + spatial.kernelSize() + ", strides=" + spatial.strides() + ", padding="
        + spatial.padding().name().toLowerCase(java.util.Locale.ROOT) + ", dilation_rate=" + spatial.dilation()
        + ", depth_multiplier=" + depthMultiplier + ", activation=" + activation.kerasName() + ")";
  }
}

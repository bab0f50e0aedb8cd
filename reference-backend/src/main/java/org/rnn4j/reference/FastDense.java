package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Dense;

/**
 * One Dense layer's weights packed for the fast kernels, converted once when a model is first run:
 * the kernel as one gate block of {@link Packed} panels, the bias in the same column order.
 */
final class FastDense {
  final Dense layer;
  final int in;
  final Packed kernel;
  final float[] bias;

  private FastDense(Dense layer, int in, Packed kernel, float[] bias) {
    this.layer = layer;
    this.in = in;
    this.kernel = kernel;
    this.bias = bias;
  }

  static FastDense of(Dense layer, List<Tensor> weights) {
    Tensor k = weights.get(0);
    float[] bias = layer.useBias() ? weights.get(1).toArray() : null;
    return new FastDense(layer, k.dim(0), Packed.of(k.toArray(), k.dim(0), 1, k.dim(1)), Packed.bias(bias, 0, 1, layer.units()));
  }

  /** The floats of scratch {@link #apply} needs per row. */
  int scratchWidth() {
    return kernel.cols;
  }

  /**
   * {@code out = activation(x·W + b)} for {@code rows} rows of {@code x}, through {@code z}
   * ({@code rows · scratchWidth()} floats) as scratch.
   */
  void apply(Simd simd, float[] x, int rows, float[] z, float[] out) {
    int units = layer.units();
    for (int r = 0; r < rows; r++) {
      System.arraycopy(bias, 0, z, r * kernel.cols, kernel.cols);
    }
    simd.gemm(x, 0, in, rows, kernel, 0, kernel.paddedUnits, z, 0, kernel.cols, true);
    for (int r = 0; r < rows; r++) {
      simd.activate(layer.activation(), z, r * kernel.cols, units, kernel.cols);
      System.arraycopy(z, r * kernel.cols, out, r * units, units);
    }
  }
}

package org.rnn4j.layers;

import org.rnn4j.InvalidModelException;

/**
 * Keras {@code MaxPooling1D} and {@code AveragePooling1D} (channels last): the maximum or mean of
 * each window of {@code pool_size} steps, {@code strides} apart. With {@code same} padding the
 * windows at the edges are cut short (TensorFlow's split, the smaller half before): a maximum
 * ignores the missing steps and a mean divides by the steps present.
 */
public final class Pooling implements Layer {
  /** What a window reduces to. */
  public enum Kind {
    MAX("MaxPooling1D"),
    AVERAGE("AveragePooling1D");

    private final String kerasClassName;

    Kind(String kerasClassName) {
      this.kerasClassName = kerasClassName;
    }
  }

  private final Kind kind;
  private final int poolSize;
  private final int strides;
  private final boolean same;
  private final String name;

  private Pooling(Kind kind, int poolSize, int strides, boolean same, String name) {
    if (poolSize <= 0 || strides <= 0) {
      throw new InvalidModelException(kind.kerasClassName + ": pool_size and strides must be positive");
    }
    this.kind = kind;
    this.poolSize = poolSize;
    this.strides = strides;
    this.same = same;
    this.name = name;
  }

  /**
   * A pooling layer.
   *
   * @param strides the step between windows (Keras' default is {@code poolSize})
   * @param same {@code padding="same"}, else {@code "valid"}
   */
  public static Pooling of(Kind kind, int poolSize, int strides, boolean same, String name) {
    return new Pooling(kind, poolSize, strides, same, name);
  }

  public Kind kind() {
    return kind;
  }

  public int poolSize() {
    return poolSize;
  }

  public int strides() {
    return strides;
  }

  public boolean same() {
    return same;
  }

  /** The steps padded before the input of {@code length} steps ({@code same} only). */
  public int padLeft(int length) {
    return same ? sameTotalPad(length, poolSize, strides) / 2 : 0;
  }

  /** Output steps of a window of {@code span} steps moved by {@code strides}; -1 stays -1. */
  static int outputLength(int length, int span, int strides, boolean padded) {
    if (length < 0) {
      return -1;
    }
    return padded ? (length + strides - 1) / strides : Math.floorDiv(length - span, strides) + 1;
  }

  /** TensorFlow's total padding for {@code same}: what makes {@code ceil(length / strides)} windows fit. */
  static int sameTotalPad(int length, int span, int strides) {
    int out = (length + strides - 1) / strides;
    return Math.max((out - 1) * strides + span - length, 0);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return kind.kerasClassName;
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.requireRank(this, inputShape, 2, "(steps, channels)");
    int out = outputLength(inputShape[0], poolSize, strides, same);
    if (inputShape[0] >= 0 && out <= 0) {
      throw new InvalidModelException(LayerShapes.describe(this) + ": " + inputShape[0] + " steps are fewer than pool_size " + poolSize);
    }
    return new int[] {out, inputShape[1]};
  }


  @Override
  public String toString() {
    return kind.kerasClassName + "(pool_size=" + poolSize + ", strides=" + strides + ", padding=" + (same ? "same" : "valid") + ")";
  }
}

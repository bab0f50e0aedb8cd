package org.rnn4j.layers;


/**
 * Keras {@code GlobalMaxPooling1D} and {@code GlobalAveragePooling1D} (channels last): the maximum
 * or mean over the time axis, {@code (steps, channels)} to {@code (channels,)} (or {@code (1,
 * channels)} with {@code keepdims}). With a mask the mean is over the valid steps only, as in
 * Keras; the maximum ignores the mask, as Keras' does.
 */
public final class GlobalPooling implements Layer {
  private final Pooling.Kind kind;
  private final boolean keepDims;
  private final String name;

  private GlobalPooling(Pooling.Kind kind, boolean keepDims, String name) {
    this.kind = kind;
    this.keepDims = keepDims;
    this.name = name;
  }

  public static GlobalPooling of(Pooling.Kind kind, boolean keepDims, String name) {
    return new GlobalPooling(kind, keepDims, name);
  }

  public Pooling.Kind kind() {
    return kind;
  }

  public boolean keepDims() {
    return keepDims;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return kind == Pooling.Kind.MAX ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    LayerShapes.requireRank(this, inputShape, 2, "(steps, channels)");
    return keepDims ? new int[] {1, inputShape[1]} : new int[] {inputShape[1]};
  }


  @Override
  public String toString() {
    return kerasClassName() + "(keepdims=" + keepDims + ")";
  }
}

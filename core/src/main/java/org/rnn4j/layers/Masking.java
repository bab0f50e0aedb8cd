package org.rnn4j.layers;


/**
 * Keras {@code Masking(mask_value)}: a step whose features all equal {@code mask_value} is masked
 * for the following layers. Its output is its input with masked steps set to zero, as in Keras.
 */
public final class Masking implements Layer {
  private final float maskValue;
  private final String name;

  private Masking(float maskValue, String name) {
    this.maskValue = maskValue;
    this.name = name;
  }

  public static Masking of(float maskValue) {
    return new Masking(maskValue, null);
  }

  public static Masking of(float maskValue, String name) {
    return new Masking(maskValue, name);
  }

  public float maskValue() {
    return maskValue;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "Masking";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    if (inputShape.length != 1) {
      LayerShapes.requireRank(this, inputShape, 2, "(time, features), or (features,) or token ids (time,)");
    }
    return inputShape.clone();
  }


  @Override
  public String toString() {
    return "Masking(" + maskValue + ")";
  }
}

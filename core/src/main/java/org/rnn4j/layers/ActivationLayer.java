package org.rnn4j.layers;


/** Keras {@code Activation(activation)} layer: an activation (element-wise or along the last axis), no weights. */
public final class ActivationLayer implements Layer {
  private final Activation activation;
  private final String name;

  private ActivationLayer(Activation activation, String name) {
    this.activation = activation;
    this.name = name;
  }

  public static ActivationLayer of(Activation activation) {
    return new ActivationLayer(activation, null);
  }

  public static ActivationLayer of(Activation activation, String name) {
    return new ActivationLayer(activation, name);
  }

  public Activation activation() {
    return activation;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "Activation";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    int[] out = inputShape.clone();
    if (!activation.elementwise()) {
      if (inputShape.length == 0) {
        throw new org.rnn4j.InvalidModelException(LayerShapes.describe(this) + ": '" + activation.kerasName() + "' needs an axis to act along");
      }
      out[out.length - 1] = activation.outputWidth(inputShape[inputShape.length - 1]);
    }
    return out;
  }


  @Override
  public String toString() {
    return "Activation(" + activation.kerasName() + ")";
  }
}

package org.rnn4j.layers;

import java.util.Set;
import org.rnn4j.InvalidModelException;

/**
 * A layer that only acts during training and passes its input through unchanged at inference:
 * {@code Dropout}, {@code SpatialDropout1D}, {@code GaussianNoise}, {@code GaussianDropout}, {@code
 * AlphaDropout}, {@code ActivityRegularization}, and Keras 3's {@code Identity}, which is one always.
 * Masks pass through it too.
 */
public final class InferenceIdentity implements Layer {
  /** The Keras classes that are the identity at inference. */
  public static final Set<String> CLASSES =
      Set.of(
          "Dropout",
          "SpatialDropout1D",
          "GaussianNoise",
          "GaussianDropout",
          "AlphaDropout",
          "ActivityRegularization",
          "Identity");

  private final String kerasClassName;
  private final String name;

  private InferenceIdentity(String kerasClassName, String name) {
    if (!CLASSES.contains(kerasClassName)) {
      throw new InvalidModelException(
          kerasClassName + " is not an inference-time identity layer (expected one of " + CLASSES + ")");
    }
    this.kerasClassName = kerasClassName;
    this.name = name;
  }

  public static InferenceIdentity of(String kerasClassName) {
    return new InferenceIdentity(kerasClassName, null);
  }

  public static InferenceIdentity of(String kerasClassName, String name) {
    return new InferenceIdentity(kerasClassName, name);
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
    return inputShape.clone();
  }


  @Override
  public String toString() {
    return kerasClassName + "()";
  }
}

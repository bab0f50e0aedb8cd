package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * A model used as a layer of another (a {@code Sequential} or functional model in a functional
 * model's or a Sequential's layers, as Keras allows): it runs its own architecture on its inputs
 * and owns its weights, in its own {@code get_weights()} order. Masks end at its outputs.
 */
public final class NestedModel implements Layer {
  private final Architecture model;
  private final String name;

  private NestedModel(Architecture model, String name) {
    if (model instanceof Sequential s && (s.returnsState() || s.outputShapes().size() != 1)) {
      throw new InvalidModelException("a nested Sequential model '" + s.name() + "' must end in one output (no return_state)");
    }
    if (model.isStateful()) {
      throw new InvalidModelException("nested model '" + model.name() + "' has stateful layers, which are not supported inside a model");
    }
    this.model = model;
    this.name = name;
  }

  public static NestedModel of(Architecture model, String name) {
    return new NestedModel(model, name);
  }

  /** The nested model's architecture. */
  public Architecture model() {
    return model;
  }

  @Override
  public String name() {
    return name != null ? name : model.name();
  }

  @Override
  public String kerasClassName() {
    return model instanceof Sequential ? "Sequential" : "Functional";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return outputShapes(List.of(inputShape)).get(0);
  }

  /** Its outputs' shapes for inputs of these shapes, which must fit its declared inputs. */
  public List<int[]> outputShapes(List<int[]> shapes) {
    if (shapes.size() != model.inputs().size()) {
      throw new InvalidModelException(LayerShapes.describe(this) + " takes " + model.inputs().size() + " inputs, got " + shapes.size());
    }
    for (int k = 0; k < shapes.size(); k++) {
      int[] want = model.inputs().get(k).shape();
      int[] got = shapes.get(k);
      boolean fits = want.length == got.length;
      for (int d = 0; fits && d < want.length; d++) {
        fits = want[d] < 0 || got[d] < 0 || want[d] == got[d];
      }
      if (!fits) {
        throw new InvalidModelException(LayerShapes.describe(this) + ": input " + k + " has shape " + Shapes.format(got) + ", the model takes "
            + Shapes.format(want));
      }
    }
    return model.outputShapes();
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    return model.weightSpecs();
  }

  @Override
  public String toString() {
    return kerasClassName() + " '" + name() + "' (nested, " + model.layers().size() + " layers)";
  }
}

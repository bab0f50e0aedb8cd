package org.rnn4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.WeightSpec;

/**
 * A model's weight values in Keras layout and {@code get_weights()} order, checked against the
 * architecture: the count and every shape must match, and a mismatch names the weight and both
 * shapes.
 */
public final class Weights {
  private final List<WeightSpec> specs;
  private final List<Tensor> values;

  private Weights(List<WeightSpec> specs, List<Tensor> values) {
    this.specs = specs;
    this.values = List.copyOf(values);
  }

  /**
   * Weights for {@code architecture}, in its {@code get_weights()} order.
   *
   * @throws InvalidModelException if a weight is missing, extra or misshaped
   */
  public static Weights of(Architecture architecture, List<Tensor> values) {
    List<WeightSpec> specs = architecture.weightSpecs();
    if (values.size() != specs.size()) {
      throw new InvalidModelException(
          "model '"
              + architecture.name()
              + "' has "
              + specs.size()
              + " weights ("
              + specs.stream().map(WeightSpec::toString).collect(Collectors.joining(", "))
              + "), got "
              + values.size());
    }
    for (int i = 0; i < specs.size(); i++) {
      int[] expected = specs.get(i).shape();
      int[] actual = values.get(i).shape();
      if (!java.util.Arrays.equals(expected, actual)) {
        throw new InvalidModelException(
            "weight "
                + i
                + " '"
                + specs.get(i).name()
                + "' has shape "
                + Shapes.format(actual)
                + ", expected "
                + Shapes.format(expected));
      }
    }
    return new Weights(specs, values);
  }

  /**
   * Weights drawn from each weight's Keras initializer (defaults: glorot_uniform kernels,
   * orthogonal recurrent kernels, zero biases with the LSTM forget block at one). The same seed
   * gives the same weights on every backend and JVM.
   */
  public static Weights initialize(Architecture architecture, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    List<Tensor> values = new ArrayList<>();
    for (WeightSpec spec : architecture.weightSpecs()) {
      SplittableRandom random = root.split();
      values.add(Tensor.wrap(spec.shape(), spec.initializer().generate(spec.shape(), random)));
    }
    return new Weights(architecture.weightSpecs(), values);
  }

  /** The values, in {@code get_weights()} order. */
  public List<Tensor> values() {
    return values;
  }

  /** The specs the values were checked against. */
  public List<WeightSpec> specs() {
    return specs;
  }

  public Tensor get(int index) {
    return values.get(index);
  }

  public int size() {
    return values.size();
  }

  /** The weights of layer {@code index} of {@code architecture}. */
  public List<Tensor> forLayer(Architecture architecture, int index) {
    int from = architecture.weightOffset(index);
    return values.subList(from, from + architecture.weightCount(index));
  }
}

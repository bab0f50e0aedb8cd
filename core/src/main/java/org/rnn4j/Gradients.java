package org.rnn4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A loss of a model's (first) output and its gradients: with respect to every weight, in Keras'
 * {@code get_weights()} order and shapes; each float input (none for an input of token ids); and
 * the initial states the call gave, by recurrent layer index.
 */
public final class Gradients {
  private final float loss;
  private final List<Tensor> weights;
  private final List<Tensor> inputs;
  private final LayerStates initialStates;
  private final Tensor output;
  private final LayerStates finalStates;

  /**
   * Assembles gradients without the forward results (an oracle's central differences).
   *
   * @param inputs one per model input, null for an input of token ids
   */
  public Gradients(float loss, List<Tensor> weights, List<Tensor> inputs, LayerStates initialStates) {
    this(loss, weights, inputs, initialStates, null, LayerStates.empty());
  }

  /**
   * Assembles gradients with the forward pass they came from; backends call this.
   *
   * @param inputs one per model input, null for an input of token ids
   * @param output the (first) output the loss was computed from
   * @param finalStates every recurrent layer's final states in that pass
   */
  public Gradients(float loss, List<Tensor> weights, List<Tensor> inputs, LayerStates initialStates, Tensor output,
      LayerStates finalStates) {
    this.loss = loss;
    this.weights = List.copyOf(weights);
    this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
    this.initialStates = Objects.requireNonNull(initialStates);
    this.output = output;
    this.finalStates = Objects.requireNonNull(finalStates);
  }

  /**
   * Whether rnn4j can differentiate models of {@code architecture} (what {@link
   * PreparedModel#gradients} checks first).
   *
   * @throws UnsupportedFeatureException naming the first layer without a backward pass
   */
  public static void checkSupported(org.rnn4j.layers.Architecture architecture) {
    org.rnn4j.spi.Differentiation.check(architecture);
  }

  /** The loss's value. */
  public float loss() {
    return loss;
  }

  /** The gradient of every weight, in {@code get_weights()} order. */
  public List<Tensor> weights() {
    return weights;
  }

  /** The gradient of weight {@code index} (in {@code get_weights()} order). */
  public Tensor weight(int index) {
    return weights.get(index);
  }

  /** The gradient of the (first) input, or null for token ids. */
  public Tensor input() {
    return inputs.get(0);
  }

  /** One gradient per model input (null for an input of token ids). */
  public List<Tensor> inputs() {
    return inputs;
  }

  /** The gradients of the initial states given in the call, by recurrent layer index. */
  public LayerStates initialStates() {
    return initialStates;
  }

  /**
   * The model's (first) output in the forward pass the loss was computed from (the prediction a
   * training step's metrics see), or null when the gradients were assembled without it.
   */
  public Tensor output() {
    return output;
  }

  /** Every recurrent layer's final states in that forward pass (what a stateful model carries on). */
  public LayerStates finalStates() {
    return finalStates;
  }
}

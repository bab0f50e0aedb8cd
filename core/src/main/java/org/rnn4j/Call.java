package org.rnn4j;

import java.util.List;
import java.util.Objects;

/**
 * The arguments of one model call, as Keras' {@code layer(inputs, initial_state=..., mask=...)}:
 * the input, an optional per-step mask, and optional initial states.
 *
 * <pre>{@code
 * Result r = prepared.run(Call.of(x).withInitialState(h0, c0).withMask(mask));
 * }</pre>
 */
public final class Call {
  private final List<Tensor> inputs;
  private final Mask mask;
  private final List<Tensor> initialState;
  private final LayerStates initialStates;

  private Call(List<Tensor> inputs, Mask mask, List<Tensor> initialState, LayerStates initialStates) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a call needs at least one input");
    }
    inputs.forEach(t -> Objects.requireNonNull(t, "input"));
    this.inputs = List.copyOf(inputs);
    this.mask = mask;
    this.initialState = initialState;
    this.initialStates = initialStates;
  }

  /** A call on {@code input}: {@code (batch, time, features)} for sequence models. */
  public static Call of(Tensor input) {
    return new Call(List.of(Objects.requireNonNull(input, "input")), null, null, LayerStates.empty());
  }

  /** A call of a model with several inputs, one tensor per input in the model's input order. */
  public static Call of(List<Tensor> inputs) {
    return new Call(inputs, null, null, LayerStates.empty());
  }

  /**
   * The initial state of the model's only recurrent layer, in Keras' flattened order (LSTM: h, c;
   * a stack: h1, c1, h2, c2), each {@code (batch, size)}.
   */
  public Call withInitialState(Tensor... states) {
    return new Call(inputs, mask, List.of(states), initialStates);
  }

  /** The initial state of the model's only recurrent layer, in Keras' flattened order. */
  public Call withInitialState(List<Tensor> states) {
    return new Call(inputs, mask, List.copyOf(states), initialStates);
  }

  /** Initial states for any recurrent layers, by layer index. */
  public Call withInitialStates(LayerStates states) {
    return new Call(inputs, mask, initialState, Objects.requireNonNull(states));
  }

  /** A per-step mask {@code (batch, time)} for the model's (first) input. */
  public Call withMask(Mask mask) {
    return new Call(inputs, mask, initialState, initialStates);
  }

  /** The (first) input. */
  public Tensor input() {
    return inputs.get(0);
  }

  /** Every input, in the model's input order. */
  public List<Tensor> inputs() {
    return inputs;
  }

  /** The explicit mask, or null. */
  public Mask mask() {
    return mask;
  }

  /** The initial state given for the only recurrent layer, or null. */
  public List<Tensor> initialState() {
    return initialState;
  }

  /** Initial states given by layer index (possibly empty). */
  public LayerStates initialStates() {
    return initialStates;
  }
}

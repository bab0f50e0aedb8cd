package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rnn4j.InvalidModelException;

/**
 * Keras {@code Bidirectional(layer, merge_mode, backward_layer)}. The forward copy runs as
 * configured; the backward copy (by default the same layer with {@code go_backwards=True}) runs
 * backwards and its returned sequence is flipped back to input time order before merging. With
 * {@code return_state} the result is the output(s), the forward states, then the backward states.
 * As in Keras, both copies output zeros at masked steps when they return sequences.
 *
 * <p>Weights are the forward layer's, then the backward layer's.
 */
public final class Bidirectional implements Layer {
  private final RNN forward;
  private final RNN backward;
  private final MergeMode mergeMode;
  private final String name;

  private Bidirectional(RNN forward, RNN backward, MergeMode mergeMode, String name) {
    if (forward.goBackwards() == backward.goBackwards()) {
      throw new InvalidModelException(
          "Bidirectional: forward and backward layers must have different go_backwards values");
    }
    if (forward.stateful() != backward.stateful()
        || forward.returnSequences() != backward.returnSequences()
        || forward.returnState() != backward.returnState()) {
      throw new InvalidModelException(
          "Bidirectional: forward and backward layers must agree on stateful, return_sequences"
              + " and return_state");
    }
    if (forward.units() != backward.units() && mergeMode != MergeMode.CONCAT && mergeMode != MergeMode.NONE) {
      throw new InvalidModelException(
          "Bidirectional: merge_mode " + mergeMode.kerasName() + " needs equal units, got "
              + forward.units() + " and " + backward.units());
    }
    this.forward = withZeroOutputForMask(forward, "forward_");
    this.backward = withZeroOutputForMask(backward, "backward_");
    this.mergeMode = Objects.requireNonNull(mergeMode);
    this.name = name;
  }

  /** Keras forces {@code zero_output_for_mask = return_sequences} on both copies. */
  private static RNN withZeroOutputForMask(RNN layer, String prefix) {
    String base = layer.name() == null ? layer.defaultName() : layer.name();
    String n = base.startsWith(prefix) ? base : prefix + base;
    return layer.toBuilder().zeroOutputForMask(layer.returnSequences()).name(n).build();
  }

  /** {@code Bidirectional(layer)} with merge mode concat. */
  public static Bidirectional of(RNN layer) {
    return of(layer, MergeMode.CONCAT);
  }

  /** {@code Bidirectional(layer, merge_mode)}; the backward copy is the layer with go_backwards=True. */
  public static Bidirectional of(RNN layer, MergeMode mergeMode) {
    return of(layer, layer.toBuilder().goBackwards(true).build(), mergeMode, null);
  }

  /** {@code Bidirectional(layer, merge_mode, backward_layer=backward)}. */
  public static Bidirectional of(RNN forward, RNN backward, MergeMode mergeMode, String name) {
    return new Bidirectional(forward, backward, mergeMode, name);
  }

  public RNN forwardLayer() {
    return forward;
  }

  public RNN backwardLayer() {
    return backward;
  }

  public MergeMode mergeMode() {
    return mergeMode;
  }

  public boolean returnSequences() {
    return forward.returnSequences();
  }

  public boolean returnState() {
    return forward.returnState();
  }

  public boolean stateful() {
    return forward.stateful();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "Bidirectional";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    int[] f = forward.outputShape(inputShape);
    if (mergeMode == MergeMode.CONCAT) {
      int[] b = backward.outputShape(inputShape);
      f[f.length - 1] += b[b.length - 1];
    }
    return f;
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] inputShape) {
    List<WeightSpec> specs = new ArrayList<>();
    forward.weightSpecs(inputShape).forEach(w -> specs.add(w.prefixed(forward.name())));
    backward.weightSpecs(inputShape).forEach(w -> specs.add(w.prefixed(backward.name())));
    return List.copyOf(specs);
  }

  @Override
  public String toString() {
    return "Bidirectional(" + forward + ", backward=" + backward + ", merge_mode=" + mergeMode + ")";
  }
}

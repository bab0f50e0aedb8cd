package org.rnn4j;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.StackedRNNCells;

/**
 * What a model call returns, shaped exactly as Keras returns it.
 *
 * <ul>
 *   <li>{@link #kerasOutputs()}: exactly the list Keras' {@code model.predict} returns, in its
 *       order (for a Sequential model ending in a {@code return_state} layer: output, then states).
 *   <li>{@link #outputs()}: the output; two for a Bidirectional layer with {@code merge_mode=None}
 *       (forward, backward); a functional model's outputs.
 *   <li>{@link #states()}: with {@code return_state}, the final states grouped as Keras nests
 *       them: a single LSTM returns {@code h, c} (one group, not nested); {@code
 *       RNN(StackedRNNCells([c1, c2]))} returns {@code [h1, c1], [h2, c2]} (one nested group per
 *       cell); a Bidirectional layer returns the forward states, then the backward states.
 *   <li>{@link #flat()}: everything in Keras' flattened return order: outputs, then states.
 *   <li>{@link #finalStates()}: the final states of every recurrent layer of the model, returned
 *       or not (what a stateful model carries to its next call).
 * </ul>
 */
public final class Result {
  private final List<Tensor> outputs;
  private final List<StateGroup> states;
  private final boolean statesNested;
  private final LayerStates finalStates;

  private final List<String> outputLabels;

  private Result(List<Tensor> outputs, List<String> outputLabels, List<StateGroup> states, boolean statesNested, LayerStates finalStates) {
    this.outputLabels = List.copyOf(outputLabels);
    this.outputs = List.copyOf(outputs);
    this.states = List.copyOf(states);
    this.statesNested = statesNested;
    this.finalStates = finalStates;
  }

  /**
   * Assembles a result from a backend's outputs and every recurrent layer's final states (each in
   * Keras' flattened order). Backends call this; users receive its product.
   */
  public static Result of(Architecture architecture, List<Tensor> outputs, LayerStates finalStates) {
    if (architecture instanceof Functional f) {
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < f.outputs().size(); i++) {
        Functional.Ref r = f.outputs().get(i);
        labels.add("output_" + i + " (" + f.nodeName(r.node()) + "[" + r.tensor() + "])");
      }
      return new Result(outputs, labels, List.of(), false, finalStates);
    }
    return of((Sequential) architecture, outputs, finalStates);
  }

  private static Result of(Sequential architecture, List<Tensor> outputs, LayerStates finalStates) {
    int last = architecture.layers().size() - 1;
    Layer layer = architecture.layer(last);
    List<StateGroup> groups = new ArrayList<>();
    boolean nested = false;
    if (architecture.returnsState()) {
      List<Tensor> flat = finalStates.get(last);
      int pos = 0;
      if (layer instanceof RNN r) {
        nested = r.cell() instanceof StackedRNNCells;
        pos = addGroups(groups, architecture.layerName(last), r, flat, pos);
      } else if (layer instanceof Bidirectional b) {
        nested = b.forwardLayer().cell() instanceof StackedRNNCells;
        pos = addGroups(groups, b.forwardLayer().name(), b.forwardLayer(), flat, pos);
        pos = addGroups(groups, b.backwardLayer().name(), b.backwardLayer(), flat, pos);
      }
      if (pos != flat.size()) {
        throw new IllegalStateException("backend returned " + flat.size() + " states, expected " + pos);
      }
    }
    List<String> labels = outputs.size() == 1 ? List.of("output") : List.of("forward output", "backward output");
    return new Result(outputs, labels, groups, nested, finalStates);
  }

  private static int addGroups(List<StateGroup> groups, String layerName, RNN layer, List<Tensor> flat, int pos) {
    if (layer.cell() instanceof StackedRNNCells stack) {
      for (int c = 0; c < stack.cells().size(); c++) {
        List<String> names = stack.cells().get(c).stateNames();
        groups.add(new StateGroup(stack.cellNames().get(c), names, flat.subList(pos, pos + names.size())));
        pos += names.size();
      }
    } else {
      List<String> names = layer.cell().stateNames();
      groups.add(new StateGroup(layerName, names, flat.subList(pos, pos + names.size())));
      pos += names.size();
    }
    return pos;
  }

  /** The output; fails for a model with two outputs (use {@link #outputs()}). */
  public Tensor output() {
    if (outputs.size() != 1) {
      throw new IllegalStateException("the model has " + outputs.size() + " outputs; use outputs()");
    }
    return outputs.get(0);
  }

  /** The outputs: one, or two (forward, backward) for Bidirectional with merge_mode=None. */
  public List<Tensor> outputs() {
    return outputs;
  }

  /**
   * A label per output for reports: {@code output}; {@code forward output}, {@code backward
   * output} (Bidirectional, merge_mode=None); a functional model's {@code output_0 (lstm[1])}, ...
   */
  public List<String> outputLabels() {
    return outputLabels;
  }

  /** The returned states grouped per cell or direction; empty without return_state. */
  public List<StateGroup> states() {
    return states;
  }

  /** Whether Keras returns the states as nested lists (one per cell of a stack). */
  public boolean statesNested() {
    return statesNested;
  }

  /** The returned states in Keras' flattened order (h, c / h1, c1, h2, c2 / forward..., backward...). */
  public List<Tensor> flatStates() {
    List<Tensor> out = new ArrayList<>();
    states.forEach(g -> out.addAll(g.tensors()));
    return List.copyOf(out);
  }

  /**
   * What the model returns in Keras, as the list {@code model.predict} gives: the outputs, then
   * the returned states (for a functional model, its outputs as the model names them).
   */
  public List<Tensor> kerasOutputs() {
    return flat();
  }

  /** Outputs then states, in Keras' flattened return order. */
  public List<Tensor> flat() {
    List<Tensor> out = new ArrayList<>(outputs);
    out.addAll(flatStates());
    return List.copyOf(out);
  }

  /**
   * Names for {@link #flat()}: {@code output} (or {@code output_0}, {@code output_1}), then {@code
   * state_0}, {@code state_1}, ... — the keys rnn4j writes to {@code .npz} files.
   */
  public List<String> flatNames() {
    List<String> names = new ArrayList<>();
    if (outputs.size() == 1) {
      names.add("output");
    } else {
      for (int i = 0; i < outputs.size(); i++) {
        names.add("output_" + i);
      }
    }
    int n = flatStates().size();
    for (int i = 0; i < n; i++) {
      names.add("state_" + i);
    }
    return List.copyOf(names);
  }

  /** Every recurrent layer's final states, by layer index. */
  public LayerStates finalStates() {
    return finalStates;
  }
}

package org.rnn4j.spi;

import java.util.Arrays;
import java.util.List;
import org.rnn4j.Call;
import org.rnn4j.InvalidInputException;
import org.rnn4j.LayerStates;
import org.rnn4j.Limits;
import org.rnn4j.ResourceLimitException;
import org.rnn4j.Mask;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.Sequential;

/**
 * Checks a call against a model before any backend sees it, with messages that say what was
 * expected. One checker per architecture holds what every call is checked against, so that a valid
 * call costs a few comparisons and no allocation beyond the {@link CheckedCall}.
 */
public final class CallChecker {
  private final Architecture architecture;
  /** Each input's shape with the batch axis first; -1 where any size goes. */
  private final List<int[]> expected;
  /** For each integer-id input, the Embeddings' smallest input_dim (ids must be below it). */
  private final int[] idLimits;
  private final boolean sequence;
  /**
   * The estimated memory of a call, {@code batch · (fixedFloats + stepFloats · steps)} floats,
   * twice; when an output has more than one open axis (not linear in steps), estimated per call.
   */
  private final double fixedFloats;
  private final double stepFloats;
  private final boolean linearInSteps;

  private CallChecker(Architecture architecture) {
    this.architecture = architecture;
    this.expected = architecture.inputs().stream().map(in -> withBatch(in.shape())).toList();
    this.idLimits = new int[architecture.inputs().size()];
    for (int k = 0; k < idLimits.length; k++) {
      idLimits[k] = idLimit(architecture, k);
    }
    this.sequence = isSequence(architecture.inputs().get(0));
    this.fixedFloats = floatsPerRow(architecture, 0);
    this.stepFloats = floatsPerRow(architecture, 1) - fixedFloats;
    boolean linear = true;
    for (int i = 0; i < architecture.layers().size(); i++) {
      linear &= Arrays.stream(architecture.outputShape(i)).filter(d -> d < 0).count() <= 1;
    }
    this.linearInSteps = linear;
  }

  /** A checker for calls on {@code architecture}. */
  public static CallChecker of(Architecture architecture) {
    return new CallChecker(architecture);
  }

  /**
   * Checks {@code call} against {@code architecture}.
   *
   * @throws InvalidInputException naming the input, mask or state that does not fit
   */
  public static CheckedCall check(Architecture architecture, Call call) {
    return of(architecture).check(call);
  }

  /**
   * Checks {@code call} against this checker's architecture.
   *
   * @throws InvalidInputException naming the input, mask or state that does not fit
   */
  public CheckedCall check(Call call) {
    List<Tensor> inputs = call.inputs();
    if (inputs.size() != expected.size()) {
      throw new InvalidInputException("the model takes " + expected.size() + " input" + (expected.size() == 1 ? "" : "s")
          + describeInputs() + ", got " + inputs.size());
    }
    for (int k = 0; k < inputs.size(); k++) {
      Tensor in = inputs.get(k);
      if (in.rank() != expected.get(k).length || !fits(in, expected.get(k))) {
        refuse(k, in);
      }
      if (in.dim(0) != inputs.get(0).dim(0)) {
        throw new InvalidInputException(inputName(k) + " has batch size " + in.dim(0) + ", but " + inputName(0) + " has " + inputs.get(0).dim(0));
      }
      if (architecture.inputs().get(k).integerIds()) {
        checkIds(inputName(k), in, idLimits[k]);
      }
    }
    Tensor input = inputs.get(0);
    int batch = input.dim(0);
    int steps = sequence ? input.dim(1) : -1;
    Mask mask = call.mask();
    if (mask != null) {
      if (steps < 0) {
        throw new InvalidInputException("a mask needs a sequence input, but the model's input has no time axis");
      }
      if (mask.batch() != batch || mask.steps() != steps) {
        throw new InvalidInputException(
            "mask has shape " + mask.shapeString() + ", expected " + Shapes.format(batch, steps) + " (batch, time)");
      }
    }
    LayerStates states = call.initialState() == null && call.initialStates().isEmpty()
        ? call.initialStates() : initialStates(architecture, call, batch);
    long bytes = estimatedBytes(batch, Math.max(1, steps));
    Limits limits = Limits.current();
    if (bytes > limits.memoryBytes()) {
      throw new ResourceLimitException("a call with input " + Shapes.format(input.shape()) + " needs about " + Limits.formatBytes(bytes)
          + " for its outputs and intermediate sequences, over the memory limit of " + Limits.formatBytes(limits.memoryBytes())
          + " (raise it with -Drnn4j.limits.memory=SIZE or Limits.setCurrent)");
    }
    return new CheckedCall(inputs, mask, states, batch, steps);
  }

  /** Whether every axis of the input is non-empty and has the size the model needs. */
  private static boolean fits(Tensor input, int[] expected) {
    for (int i = 0; i < expected.length; i++) {
      int d = input.dim(i);
      if (d == 0 || (expected[i] >= 0 && expected[i] != d)) {
        return false;
      }
    }
    return true;
  }

  /** "input" for a one-input model, else "input k ('name')". */
  private String inputName(int k) {
    if (expected.size() == 1) {
      return "input";
    }
    return "input " + k + (architecture instanceof Functional f ? " ('" + f.inputNames().get(k) + "')" : "");
  }

  private String describeInputs() {
    StringBuilder sb = new StringBuilder(" (");
    for (int k = 0; k < expected.size(); k++) {
      sb.append(k == 0 ? "" : ", ").append(describeExpected(architecture.inputs().get(k)));
    }
    return sb.append(')').toString();
  }

  /** Throws the error that says how input {@code k} does not fit. */
  private void refuse(int k, Tensor input) {
    int[] actual = input.shape();
    int[] want = expected.get(k);
    InputSpec spec = architecture.inputs().get(k);
    String name = inputName(k);
    if (actual.length != want.length) {
      throw new InvalidInputException(
          name + " has shape " + Shapes.format(actual) + " (rank " + actual.length + "), expected rank "
              + want.length + " " + describeExpected(spec));
    }
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] == 0) {
        throw new InvalidInputException(
            name + " has shape " + Shapes.format(actual) + ": "
                + (i == 1 && isSequence(spec) ? "an empty time axis (a recurrent layer needs at least one step)" : "an empty axis " + i));
      }
      if (want[i] >= 0 && want[i] != actual[i]) {
        String what = i == actual.length - 1 && !spec.integerIds() ? "features" : "size " + want[i] + " on axis " + i;
        throw new InvalidInputException(
            name + " has shape " + Shapes.format(actual) + ", expected " + describeExpected(spec)
                + (what.equals("features") ? " (" + want[i] + " features, got " + actual[i] + ")" : ""));
      }
    }
    throw new IllegalStateException(name + " " + Shapes.format(actual) + " fits");
  }

  /**
   * The memory a call needs, estimated generously: every layer's output and every recurrent
   * layer's gate pre-activations for all steps, twice over (backends hold copies).
   */
  private long estimatedBytes(int batch, int steps) {
    double perRow = linearInSteps ? fixedFloats + stepFloats * steps : floatsPerRow(architecture, steps);
    return (long) Math.min(Long.MAX_VALUE, 2 * 4 * (double) batch * perRow);
  }

  /** The floats {@link #estimatedBytes} counts for one batch row over {@code steps} steps. */
  private static double floatsPerRow(Architecture architecture, long steps) {
    double floats = 0;
    for (int i = 0; i < architecture.layers().size(); i++) {
      double out = 1;
      for (int d : architecture.outputShape(i)) {
        out *= d < 0 ? steps : d;
      }
      floats += out;
      Layer layer = architecture.layer(i);
      if (layer instanceof org.rnn4j.layers.RNN || layer instanceof org.rnn4j.layers.Bidirectional) {
        int width = 0;
        for (var w : architecture.weightSpecs().subList(architecture.weightOffset(i), architecture.weightOffset(i + 1))) {
          width = Math.max(width, w.shape()[w.shape().length - 1]);
        }
        floats += (double) steps * width * (layer instanceof org.rnn4j.layers.Bidirectional ? 2 : 1);
      }
    }
    return floats;
  }

  private static boolean isSequence(InputSpec input) {
    return input.integerIds() ? input.rank() >= 1 : input.rank() >= 2;
  }

  private static int[] withBatch(int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = -1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  private static String describeExpected(InputSpec input) {
    String names = input.integerIds() ? "(batch, time)" : input.rank() == 2 ? "(batch, time, features)" : "(batch, ...)";
    return names + " = " + Shapes.format(withBatch(input.shape()));
  }

  /**
   * The smallest input_dim of the Embeddings that input {@code k}'s ids reach (directly or through
   * Masking and dropout-like layers), or {@code Integer.MAX_VALUE}.
   */
  private static int idLimit(Architecture architecture, int k) {
    int limit = Integer.MAX_VALUE;
    if (architecture instanceof Sequential s) {
      for (Layer l : s.layers()) {
        if (l instanceof Embedding e) {
          return e.inputDim();
        }
        if (!(l instanceof Masking || l instanceof InferenceIdentity)) {
          return limit;
        }
      }
      return limit;
    }
    Functional f = (Functional) architecture;
    java.util.Set<Integer> carrying = new java.util.HashSet<>(List.of(k));
    for (int n = 0; n < f.nodes().size(); n++) {
      Functional.Node node = f.nodes().get(n);
      if (node.inputs().size() != 1 || !carrying.contains(node.inputs().get(0).node())) {
        continue;
      }
      Layer l = f.layer(node.layer());
      if (l instanceof Embedding e) {
        limit = Math.min(limit, e.inputDim());
      } else if (l instanceof Masking || l instanceof InferenceIdentity) {
        carrying.add(f.inputs().size() + n);
      }
    }
    return limit;
  }

  private static void checkIds(String name, Tensor input, int limit) {
    for (int i = 0; i < input.size(); i++) {
      float v = input.getFlat(i);
      if (v != Math.rint(v) || v < 0 || v >= limit) {
        throw new InvalidInputException(
            name + " id " + v + " at flat position " + i + " is not a whole number in [0, " + limit
                + ") (the Embedding's input_dim)");
      }
    }
  }

  private static LayerStates initialStates(Architecture architecture, Call call, int batch) {
    LayerStates states = call.initialStates();
    List<Integer> recurrent = architecture.recurrentLayers();
    if (call.initialState() != null) {
      if (recurrent.size() != 1) {
        throw new InvalidInputException(
            "an initial state needs a model with exactly one recurrent layer, this one has "
                + recurrent.size() + "; give initial states per layer instead");
      }
      states = states.with(recurrent.get(0), call.initialState());
    }
    for (int layer : states.layers()) {
      if (!recurrent.contains(layer)) {
        throw new InvalidInputException(
            "initial states given for layer " + layer + ", which is not a recurrent layer (recurrent: " + recurrent + ")");
      }
      List<Integer> sizes = architecture.stateSizes(layer);
      List<Tensor> given = states.get(layer);
      String where = "layer '" + architecture.layerName(layer) + "'";
      if (architecture instanceof Functional f
          && f.nodes().stream().anyMatch(n -> n.layer() == layer && !n.initialState().isEmpty())) {
        throw new InvalidInputException(where + " takes its initial states from the model's graph; a call cannot give them");
      }
      if (given.size() != sizes.size()) {
        throw new InvalidInputException(
            where + " has " + sizes.size() + " states " + describeSizes(batch, sizes) + ", got " + given.size() + " initial states");
      }
      for (int s = 0; s < sizes.size(); s++) {
        int[] want = {batch, sizes.get(s)};
        if (!Arrays.equals(want, given.get(s).shape())) {
          throw new InvalidInputException(
              "initial state " + s + " of " + where + " has shape " + Shapes.format(given.get(s).shape())
                  + ", expected " + Shapes.format(want));
        }
      }
    }
    return states;
  }

  private static String describeSizes(int batch, List<Integer> sizes) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < sizes.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(Shapes.format(batch, sizes.get(i)));
    }
    return sb.append(']').toString();
  }
}

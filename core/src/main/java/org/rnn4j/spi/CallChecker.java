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
import org.rnn4j.layers.Sequential;

/**
 * Checks a call against a model before any backend sees it, with messages that say what was
 * expected. One checker per architecture holds what every call is checked against, so that a valid
 * call costs a few comparisons and no allocation beyond the {@link CheckedCall}.
 */
public final class CallChecker {
  private final Sequential architecture;
  /** The input shape with the batch axis first; -1 where any size goes. */
  private final int[] expected;
  private final boolean sequence;
  /**
   * The estimated memory of a call, {@code batch · (fixedFloats + stepFloats · steps)} floats,
   * twice; when an output has more than one open axis (not linear in steps), estimated per call.
   */
  private final double fixedFloats;
  private final double stepFloats;
  private final boolean linearInSteps;

  private CallChecker(Sequential architecture) {
    this.architecture = architecture;
    this.expected = withBatch(architecture.input().shape());
    this.sequence = isSequence(architecture);
    this.fixedFloats = floatsPerRow(architecture, 0);
    this.stepFloats = floatsPerRow(architecture, 1) - fixedFloats;
    boolean linear = true;
    for (int i = 0; i < architecture.layers().size(); i++) {
      linear &= Arrays.stream(architecture.outputShape(i)).filter(d -> d < 0).count() <= 1;
    }
    this.linearInSteps = linear;
  }

  /** A checker for calls on {@code architecture}. */
  public static CallChecker of(Sequential architecture) {
    return new CallChecker(architecture);
  }

  /**
   * Checks {@code call} against {@code architecture}.
   *
   * @throws InvalidInputException naming the input, mask or state that does not fit
   */
  public static CheckedCall check(Sequential architecture, Call call) {
    return of(architecture).check(call);
  }

  /**
   * Checks {@code call} against this checker's architecture.
   *
   * @throws InvalidInputException naming the input, mask or state that does not fit
   */
  public CheckedCall check(Call call) {
    Tensor input = call.input();
    if (input.rank() != expected.length || !fits(input)) {
      return refuse(input);
    }
    int batch = input.dim(0);
    int steps = sequence ? input.dim(1) : -1;
    if (architecture.input().integerIds()) {
      checkIds(architecture, input);
    }
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
    return new CheckedCall(input, mask, states, batch, steps);
  }

  /** Whether every axis of the input is non-empty and has the size the model needs. */
  private boolean fits(Tensor input) {
    for (int i = 0; i < expected.length; i++) {
      int d = input.dim(i);
      if (d == 0 || (expected[i] >= 0 && expected[i] != d)) {
        return false;
      }
    }
    return true;
  }

  /** Throws the error that says how {@code input} does not fit. */
  private CheckedCall refuse(Tensor input) {
    int[] actual = input.shape();
    if (actual.length != expected.length) {
      throw new InvalidInputException(
          "input has shape " + Shapes.format(actual) + " (rank " + actual.length + "), expected rank "
              + expected.length + " " + describeExpected(architecture));
    }
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] == 0) {
        throw new InvalidInputException(
            "input has shape " + Shapes.format(actual) + ": "
                + (i == 1 && sequence ? "an empty time axis (a recurrent layer needs at least one step)" : "an empty axis " + i));
      }
      if (expected[i] >= 0 && expected[i] != actual[i]) {
        String what = i == actual.length - 1 && !architecture.input().integerIds() ? "features" : "size " + expected[i] + " on axis " + i;
        throw new InvalidInputException(
            "input has shape " + Shapes.format(actual) + ", expected " + describeExpected(architecture)
                + (what.equals("features") ? " (" + expected[i] + " features, got " + actual[i] + ")" : ""));
      }
    }
    throw new IllegalStateException("input " + Shapes.format(actual) + " fits");
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
  private static double floatsPerRow(Sequential architecture, long steps) {
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

  private static boolean isSequence(Sequential architecture) {
    int rank = architecture.input().rank();
    return architecture.input().integerIds() ? rank >= 1 : rank >= 2;
  }

  private static int[] withBatch(int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = -1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  private static String describeExpected(Sequential architecture) {
    String names =
        architecture.input().integerIds()
            ? "(batch, time)"
            : architecture.input().rank() == 2 ? "(batch, time, features)" : "(batch, ...)";
    return names + " = " + Shapes.format(withBatch(architecture.input().shape()));
  }

  private static void checkIds(Sequential architecture, Tensor input) {
    Layer first = architecture.layer(0);
    int limit = first instanceof Embedding e ? e.inputDim() : Integer.MAX_VALUE;
    for (int i = 0; i < input.size(); i++) {
      float v = input.getFlat(i);
      if (v != Math.rint(v) || v < 0 || v >= limit) {
        throw new InvalidInputException(
            "input id " + v + " at flat position " + i + " is not a whole number in [0, " + limit
                + ") (the Embedding's input_dim)");
      }
    }
  }

  private static LayerStates initialStates(Sequential architecture, Call call, int batch) {
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

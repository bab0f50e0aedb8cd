package org.rnn4j.junit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.parity.Comparison;
import org.rnn4j.parity.CrossCheck;
import org.rnn4j.parity.RecordedOutputs;
import org.rnn4j.parity.Tolerance;

/**
 * Assertions for parity tests: a {@link Result} against outputs recorded in Keras, or against
 * another backend's result, or one tensor against another, under a {@link Tolerance}. A failure
 * says, for each tensor out of tolerance, in one block: the tensor (and what Keras calls it), its
 * shape, the worst index with the expected and actual values there, the largest difference, and
 * for a sequence the first time step out of tolerance and how the error grows over time.
 *
 * <pre>{@code
 * RecordedOutputs keras = RecordedOutputs.read(Path.of("src/test/resources/keras_outputs.npz"));
 * ParityAssertions.assertMatchesRecorded(keras, prepared.run(x), Tolerance.FLOAT32, backend.name());
 * }</pre>
 */
public final class ParityAssertions {
  private ParityAssertions() {}

  /**
   * Asserts that {@code actual} (computed by {@code backend}, named in the message) matches the
   * outputs recorded in Keras.
   *
   * @throws AssertionFailedError if a tensor is out of tolerance, or the recording does not hold
   *     what the model returns (a missing, extra or misshaped array)
   */
  public static void assertMatchesRecorded(RecordedOutputs expected, Result actual, Tolerance tolerance, String backend) {
    CrossCheck check;
    try {
      check = CrossCheck.againstRecorded(expected, Map.of(backend, actual), tolerance);
    } catch (org.rnn4j.InvalidInputException e) {
      throw new AssertionFailedError(e.getMessage(), e);
    }
    assertWithin(check, backend + " vs the Keras outputs recorded in " + expected.source());
  }

  /** As {@link #assertMatchesRecorded(RecordedOutputs, Result, Tolerance, String)}, the recording read from an {@code .npz}. */
  public static void assertMatchesRecorded(Path recordedNpz, Result actual, Tolerance tolerance, String backend) {
    assertMatchesRecorded(RecordedOutputs.read(recordedNpz), actual, tolerance, backend);
  }

  /**
   * Asserts that two results of the same call (two backends, say) hold the same tensors within
   * tolerance, {@code expected} being the baseline.
   */
  public static void assertSameResults(Result expected, String expectedName, Result actual, String actualName, Tolerance tolerance) {
    Map<String, Result> results = new LinkedHashMap<>();
    results.put(expectedName, expected);
    results.put(actualName, actual);
    CrossCheck check;
    try {
      check = CrossCheck.of(results, tolerance);
    } catch (IllegalArgumentException e) {
      throw new AssertionFailedError(e.getMessage(), e);
    }
    assertWithin(check, actualName + " vs " + expectedName);
  }

  /**
   * Asserts one tensor close to another; a tensor of rank 3 is read as {@code (batch, time,
   * features)} and reported step by step.
   */
  public static void assertTensorClose(String name, Tensor expected, Tensor actual, Tolerance tolerance) {
    if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
      throw new AssertionFailedError(name + ": shape " + org.rnn4j.Shapes.format(actual.shape()) + ", expected "
          + org.rnn4j.Shapes.format(expected.shape()));
    }
    Map<String, Map<String, Tensor>> tensors = new LinkedHashMap<>();
    tensors.put("expected", Map.of(name, expected));
    tensors.put("actual", Map.of(name, actual));
    assertWithin(CrossCheck.ofTensors(tensors, tolerance, expected.rank() == 3 ? java.util.Set.of(name) : java.util.Set.of()),
        name);
  }

  private static void assertWithin(CrossCheck check, String what) {
    List<Comparison> failed = check.comparisons().stream().filter(c -> !c.pass()).toList();
    if (failed.isEmpty()) {
      return;
    }
    StringBuilder m = new StringBuilder("rnn4j parity: ").append(failed.size()).append(" of ")
        .append(check.comparisons().size()).append(failed.size() == 1 && check.comparisons().size() == 1 ? " tensor" : " tensors")
        .append(" out of tolerance (").append(check.tolerance()).append("), ").append(what);
    for (Comparison c : failed) {
      m.append("\n  tensor:       ").append(c.label()).append(", shape ").append(c.shapeString());
      m.append("\n  worst index:  ").append(java.util.Arrays.toString(c.worstIndex()));
      m.append("\n  expected:     ").append(c.expectedAtWorst()).append(" (").append(c.baseline()).append(')');
      m.append("\n  actual:       ").append(c.actualAtWorst()).append(" (").append(c.backend()).append(')');
      m.append("\n  max |diff|:   ").append(Comparison.scientific(c.diff().maxAbs())).append(" (")
          .append(c.diff().maxUlp() == Long.MAX_VALUE ? "inf" : c.diff().maxUlp()).append(" ulp)");
      if (c.perStep().length > 0) {
        m.append("\n  first time step out of tolerance: ").append(c.firstFailingStep() < 0 ? "none" : c.firstFailingStep());
        m.append("\n  error growth: ").append(c.errorGrowth());
      }
    }
    throw new AssertionFailedError(m.toString());
  }
}

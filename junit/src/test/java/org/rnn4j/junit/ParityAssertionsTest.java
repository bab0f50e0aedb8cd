package org.rnn4j.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.io.Npy;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.parity.RecordedOutputs;
import org.rnn4j.parity.Tolerance;

/**
 * The assertions on a Keras 3 fixture whose outputs Keras computed: they pass on the reference
 * backend's result, and fail on deliberately perturbed recordings with the message asserted word
 * for word.
 */
class ParityAssertionsTest {
  private static final Path MODEL = GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn.keras");
  private static Tensor kerasOutput;
  private static Result result;

  @BeforeAll
  static void run() {
    kerasOutput = Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_y.npy"));
    try (Backend backend = Backends.open("reference"); PreparedModel p = backend.prepare(KerasModels.load(MODEL))) {
      result = p.run(Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_x.npy")));
    }
  }

  @Test
  void passesOnTheOutputsKerasRecorded() {
    ParityAssertions.assertMatchesRecorded(RecordedOutputs.of("keras.npz", List.of(kerasOutput)), result, Tolerance.FLOAT32, "reference");
    ParityAssertions.assertSameResults(result, "reference", result, "reference again", Tolerance.FLOAT32);
    ParityAssertions.assertTensorClose("output", kerasOutput, result.output(), Tolerance.FLOAT32);
  }

  @Test
  void aPerturbedRecordingFailsWithOneBlockSayingWhere() {
    float[] v = kerasOutput.toArray();
    int at = (0 * 3 + 1) * 8 + 4; // batch 0, time step 1, feature 4
    v[at] += 1e-3f;
    Tensor perturbed = Tensor.of(kerasOutput.shape(), v);
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> ParityAssertions.assertMatchesRecorded(
        RecordedOutputs.of("keras.npz", List.of(perturbed)), result, Tolerance.FLOAT32, "reference"));
    Comparisons c = new Comparisons(perturbed.getFlat(at), result.output().getFlat(at));
    assertEquals("rnn4j parity: 1 of 1 tensor out of tolerance (|diff| <= 0.00001 + 0·|expected|), "
        + "reference vs the Keras outputs recorded in keras.npz\n"
        + "  tensor:       arr_0 (output), shape (1, 3, 8)\n"
        + "  worst index:  [0, 1, 4]\n"
        + "  expected:     " + c.expected + " (keras)\n"
        + "  actual:       " + c.actual + " (reference)\n"
        + "  max |diff|:   " + org.rnn4j.parity.Comparison.scientific(Math.abs((double) c.expected - c.actual)) + " ("
        + ulps(c.expected, c.actual) + " ulp)\n"
        + "  first time step out of tolerance: 1\n"
        + "  error growth: t≤1: " + org.rnn4j.parity.Comparison.scientific(maxDiffAtStep(perturbed, 0)) + ", t≤3: "
        + org.rnn4j.parity.Comparison.scientific(Math.abs((double) c.expected - c.actual)), e.getMessage());
  }

  @Test
  void aRecordingThatDoesNotHoldWhatTheModelReturnsFailsNamingTheArray() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> ParityAssertions.assertMatchesRecorded(
        RecordedOutputs.of("keras.npz", List.of(kerasOutput, kerasOutput)), result, Tolerance.FLOAT32, "reference"));
    assertEquals("keras.npz: unexpected array 'arr_1': the model returns 1 (arr_0 = output)", e.getMessage());
    e = assertThrows(AssertionFailedError.class, () -> ParityAssertions.assertTensorClose("h", Tensor.zeros(new int[] {2, 3}),
        Tensor.zeros(new int[] {3, 2}), Tolerance.FLOAT32));
    assertEquals("h: shape (3, 2), expected (2, 3)", e.getMessage());
  }

  @Test
  void aTensorOfRankTwoReportsNoTimeSteps() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> ParityAssertions.assertTensorClose("h",
        Tensor.of(new float[][] {{1, 2}, {3, 4}}), Tensor.of(new float[][] {{1, 2}, {3, 4.5f}}), new Tolerance(1e-3, 1e-3)));
    assertEquals("rnn4j parity: 1 of 1 tensor out of tolerance (|diff| <= 0.001 + 0.001·|expected|), h\n"
        + "  tensor:       h, shape (2, 2)\n"
        + "  worst index:  [1, 1]\n"
        + "  expected:     4.0 (expected)\n"
        + "  actual:       4.5 (actual)\n"
        + "  max |diff|:   5.00e-01 (" + ulps(4f, 4.5f) + " ulp)", e.getMessage());
  }

  private record Comparisons(float expected, float actual) {}

  private static long ulps(float a, float b) {
    return Math.abs((long) Float.floatToIntBits(a) - Float.floatToIntBits(b));
  }

  private double maxDiffAtStep(Tensor perturbed, int step) {
    double worst = 0;
    for (int j = 0; j < 8; j++) {
      int k = step * 8 + j;
      worst = Math.max(worst, Math.abs((double) perturbed.getFlat(k) - result.output().getFlat(k)));
    }
    return worst;
  }
}

package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Backends;
import org.rnn4j.Call;
import org.rnn4j.Gradients;
import org.rnn4j.Loss;
import org.rnn4j.Mask;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.RandomData;

/** {@code rnn4j gradients} and {@code rnn4j compare --target --loss}: files written, both backends, errors. */
class GradientsCommandTest {
  @TempDir Path dir;
  Path model;
  Path weights;
  Path input;
  Path target;
  Path init;
  Path mask;

  @BeforeEach
  void files() throws IOException {
    model = dir.resolve("stack.json");
    Files.writeString(model, RunCommandTest.STACK_JSON);
    weights = dir.resolve("weights.npz");
    Npz.writeList(weights, List.of(
        RandomData.uniform(1, -1, 1, 6, 16), RandomData.uniform(2, -1, 1, 4, 16), RandomData.uniform(3, -1, 1, 16),
        RandomData.uniform(4, -1, 1, 4, 20), RandomData.uniform(5, -1, 1, 5, 20), RandomData.uniform(6, -1, 1, 20)));
    input = dir.resolve("x.npy");
    Npy.write(input, RandomData.uniform(7, -2, 2, 2, 3, 6));
    target = dir.resolve("y.npy");
    Npy.write(target, RandomData.uniform(8, -1, 1, 2, 3, 5));
    init = dir.resolve("init.npz");
    Npz.writeList(init, List.of(RandomData.uniform(9, -1, 1, 2, 4), RandomData.uniform(10, -1, 1, 2, 4),
        RandomData.uniform(11, -1, 1, 2, 5), RandomData.uniform(12, -1, 1, 2, 5)));
    mask = dir.resolve("mask.npy");
    Npy.write(mask, Tensor.of(new float[][] {{1, 0, 1}, {1, 1, 0}}));
  }

  private CliRunner.Outcome gradients(String backend, Path out) {
    return CliRunner.run("gradients", "--model", model.toString(), "--weights", weights.toString(), "--input", input.toString(),
        "--target", target.toString(), "--loss", "mse", "--initial-state", init.toString(), "--mask", mask.toString(),
        "--backend", backend, "--output", out.toString());
  }

  @Test
  void writesLossAndGradientsAsTheApiComputesThemOnBothBackends() {
    Path ref = dir.resolve("ref.npz");
    Path tf = dir.resolve("tf.npz");
    CliRunner.Outcome a = gradients("reference", ref);
    CliRunner.Outcome b = gradients("tensorflow", tf);
    assertEquals(0, a.exitCode(), a.err());
    assertEquals(0, b.exitCode(), b.err());
    assertTrue(a.out().startsWith("reference: mean_squared_error = "), a.out());
    Map<String, Tensor> written = Npz.read(ref);
    assertEquals(List.of("loss", "grad_0", "grad_1", "grad_2", "grad_3", "grad_4", "grad_5", "grad_input", "grad_initial_state_0",
        "grad_initial_state_1", "grad_initial_state_2", "grad_initial_state_3"), List.copyOf(written.keySet()));
    Gradients expected;
    Call call = Call.of(Npy.read(input)).withInitialState(Npz.readList(init)).withMask(Mask.fromTensor(Npy.read(mask)));
    try (var backend = Backends.open("reference");
        PreparedModel p = backend.prepare(KerasModels.load(model, weights))) {
      expected = p.gradients(call, Npy.read(target), Loss.of("mse", false));
    }
    assertEquals(expected.loss(), written.get("loss").getFlat(0));
    assertEquals(0, written.get("loss").rank());
    for (int i = 0; i < 6; i++) {
      Checks.assertClose("grad_" + i, expected.weight(i), written.get("grad_" + i), 0, 0);
    }
    Checks.assertClose("grad_input", expected.input(), written.get("grad_input"), 0, 0);
    Map<String, Tensor> other = Npz.read(tf);
    written.forEach((k, v) -> Checks.assertClose(k, v, other.get(k), Checks.ATOL, 0));
  }

  @Test
  void compareChecksGradientsAcrossBackends() {
    CliRunner.Outcome o = CliRunner.run("compare", "--model", model.toString(), "--weights", weights.toString(), "--input",
        input.toString(), "--target", target.toString(), "--loss", "mae", "--backends", "reference,tensorflow");
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("gradients of mean_absolute_error"), o.out());
    assertTrue(o.out().contains("grad_5") && o.out().contains("grad_input"), o.out());
    assertTrue(o.out().contains("All backends agree within tolerance."), o.out());
  }

  @Test
  void badArgumentsAreOneLineErrorsWithExitCode2() throws IOException {
    Path out = dir.resolve("g.npz");
    CliRunner.Outcome o = CliRunner.run("gradients", "--model", model.toString(), "--weights", weights.toString(), "--input",
        input.toString(), "--target", target.toString(), "--output", out.toString());
    assertEquals(2, o.exitCode());
    assertEquals("rnn4j: error: --target needs --loss LOSS", o.err().strip());
    o = CliRunner.run("gradients", "--model", model.toString(), "--weights", weights.toString(), "--input", input.toString(),
        "--target", target.toString(), "--loss", "hinge", "--output", out.toString());
    assertEquals(2, o.exitCode());
    assertTrue(o.err().strip().startsWith("rnn4j: error: --loss: unknown loss 'hinge'"), o.err());
    Path wrong = dir.resolve("wrong.npy");
    Npy.write(wrong, Tensor.zeros(2, 5));
    o = CliRunner.run("gradients", "--model", model.toString(), "--weights", weights.toString(), "--input", input.toString(),
        "--target", wrong.toString(), "--loss", "mse", "--output", out.toString());
    assertEquals(2, o.exitCode());
    assertEquals("rnn4j: error: " + wrong + ": target has shape (2, 5) but mean_squared_error on an output of shape (2, 3, 5) expects (2, 3, 5)",
        o.err().strip());
    o = CliRunner.run("gradients", "--model", model.toString(), "--weights", weights.toString(), "--input", input.toString(),
        "--target", target.toString(), "--loss", "mse", "--from-logits", "--output", out.toString());
    assertEquals(2, o.exitCode());
    assertEquals("rnn4j: error: --loss: from_logits applies to the crossentropy losses, not to mean_squared_error", o.err().strip());
    assertTrue(Files.notExists(out));
  }
}

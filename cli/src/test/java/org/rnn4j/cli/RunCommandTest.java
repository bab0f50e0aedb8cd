package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Call;
import org.rnn4j.Model;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.Float64Oracle;
import org.rnn4j.testing.RandomData;

class RunCommandTest {
  static final String STACK_JSON =
      """
      {"class_name": "RNN", "config": {"name": "rnn", "return_sequences": true, "return_state": true,
        "cell": {"class_name": "StackedRNNCells", "config": {"cells": [
          {"class_name": "LSTMCell", "config": {"name": "lstm_cell", "units": 4}},
          {"class_name": "LSTMCell", "config": {"name": "lstm_cell_1", "units": 5}}]}}}}
      """;

  @TempDir Path dir;
  Path model;
  Path weights;
  Path input;
  Path output;

  @BeforeEach
  void files() throws IOException {
    model = dir.resolve("stack.json");
    Files.writeString(model, STACK_JSON);
    weights = dir.resolve("weights.npz");
    Npz.writeList(weights, List.of(
        RandomData.uniform(1, -1, 1, 6, 16), RandomData.uniform(2, -1, 1, 4, 16), RandomData.uniform(3, -1, 1, 16),
        RandomData.uniform(4, -1, 1, 4, 20), RandomData.uniform(5, -1, 1, 5, 20), RandomData.uniform(6, -1, 1, 20)));
    input = dir.resolve("x.npy");
    Npy.write(input, RandomData.uniform(7, -2, 2, 2, 3, 6));
    output = dir.resolve("out.npz");
  }

  @Test
  void writesKerasReturnValuesInFlattenedOrder() {
    CliRunner.Outcome o = CliRunner.run("run", "--model", model.toString(), "--weights", weights.toString(),
        "--input", input.toString(), "--output", output.toString());
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("output (2, 3, 5), state_0 (2, 4), state_1 (2, 4), state_2 (2, 5), state_3 (2, 5)"), o.out());
    Map<String, Tensor> written = Npz.read(output);
    // the old keys, then the list model.predict returns (output, [h1, c1], [h2, c2] flattened)
    assertEquals(List.of("output", "state_0", "state_1", "state_2", "state_3", "output_0", "output_1", "output_2", "output_3", "output_4"),
        List.copyOf(written.keySet()));
    Model m = KerasModels.load(model, weights);
    Result expected = Float64Oracle.run(m, Call.of(Npy.read(input)));
    List<Tensor> values = List.copyOf(written.values());
    for (int i = 0; i < values.size(); i++) {
      Checks.assertClose("array " + i, expected.flat().get(i % 5), values.get(i), Checks.ATOL, 0);
    }
  }

  @Test
  void runsOnTensorFlowWithTheSameResults() {
    Path tfOut = dir.resolve("tf.npz");
    CliRunner.Outcome a = CliRunner.run("run", "--model", model.toString(), "--weights", weights.toString(),
        "--input", input.toString(), "--output", output.toString());
    CliRunner.Outcome b = CliRunner.run("run", "--model", model.toString(), "--weights", weights.toString(),
        "--input", input.toString(), "--output", tfOut.toString(), "--backend", "tensorflow",
        "--backend-option", "lstm_path=composite");
    assertEquals(0, a.exitCode(), a.err());
    assertEquals(0, b.exitCode(), b.err());
    assertTrue(b.out().startsWith("tensorflow: wrote"), b.out());
    Map<String, Tensor> ref = Npz.read(output);
    Map<String, Tensor> tf = Npz.read(tfOut);
    ref.forEach((k, v) -> Checks.assertClose(k, v, tf.get(k), Checks.ATOL, 0));
  }

  @Test
  void takesInitialStatesInTheSameOrder() {
    Path init = dir.resolve("init.npz");
    List<Tensor> states = List.of(RandomData.uniform(8, -1, 1, 2, 4), RandomData.uniform(9, -1, 1, 2, 4),
        RandomData.uniform(10, -1, 1, 2, 5), RandomData.uniform(11, -1, 1, 2, 5));
    Npz.writeList(init, states);
    CliRunner.Outcome o = CliRunner.run("run", "--model", model.toString(), "--weights", weights.toString(),
        "--input", input.toString(), "--initial-state", init.toString(), "--output", output.toString());
    assertEquals(0, o.exitCode(), o.err());
    Result expected = Float64Oracle.run(KerasModels.load(model, weights), Call.of(Npy.read(input)).withInitialState(states));
    Checks.assertClose("output", expected.output(), Npz.read(output).get("output"), Checks.ATOL, 0);
  }

  @Test
  void reportsBadInputInOneLineWithExitCode2() throws IOException {
    Path wrongRank = dir.resolve("rank.npy");
    Npy.write(wrongRank, Tensor.zeros(3, 6));
    expectError("rank", "--input", wrongRank.toString());
    Path wrongFeatures = dir.resolve("features.npy");
    Npy.write(wrongFeatures, Tensor.zeros(2, 3, 7));
    expectError("6 features, got 7", "--input", wrongFeatures.toString());
    Path empty = dir.resolve("empty.npy");
    Npy.write(empty, Tensor.zeros(2, 0, 6));
    expectError("empty time axis", "--input", empty.toString());
    Path truncated = dir.resolve("truncated.npy");
    byte[] bytes = Files.readAllBytes(input);
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 7));
    expectError("truncated data", "--input", truncated.toString());
    Path text = dir.resolve("text.npy");
    Files.writeString(text, "not an array");
    expectError("missing the \\x93NUMPY magic string", "--input", text.toString());
    expectError("no such file", "--input", dir.resolve("missing.npy").toString());

    Path fewer = dir.resolve("fewer.npz");
    Npz.writeList(fewer, Npz.readList(weights).subList(0, 5));
    expectError("has 6 weights", "--weights", fewer.toString());
    Path extra = dir.resolve("extra.npz");
    List<Tensor> more = new java.util.ArrayList<>(Npz.readList(weights));
    more.add(Tensor.zeros(3));
    Npz.writeList(extra, more);
    expectError("has 6 weights", "--weights", extra.toString());
    Path misshaped = dir.resolve("misshaped.npz");
    List<Tensor> bad = new java.util.ArrayList<>(Npz.readList(weights));
    bad.set(4, Tensor.zeros(5, 16));
    Npz.writeList(misshaped, bad);
    expectError("weight 4 'rnn/lstm_cell_1/recurrent_kernel' has shape (5, 16), expected (5, 20)", "--weights", misshaped.toString());

    Path unknownLayer = dir.resolve("conv.json");
    Files.writeString(unknownLayer, "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 3}}");
    expectError("unsupported layer: Conv2D 'c'", "--model", unknownLayer.toString());
    Path badConv = dir.resolve("conv1d.json");
    Files.writeString(badConv, "{\"class_name\": \"Conv1D\", \"config\": {\"name\": \"c\", \"filters\": 3}}");
    expectError(badConv + ": layer 0 (Conv1D 'c'): argument 'kernel_size' is required", "--model", badConv.toString());
    Path badArgument = dir.resolve("stateful.json");
    Files.writeString(badArgument, STACK_JSON.replace("\"return_state\": true", "\"return_state\": true, \"time_major\": true"));
    expectError("time_major=true is not supported", "--model", badArgument.toString());
    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{\"class_name\": ");
    expectError("not valid JSON", "--model", notJson.toString());

    Path init = dir.resolve("init.npz");
    Npz.writeList(init, List.of(Tensor.zeros(2, 4), Tensor.zeros(2, 4), Tensor.zeros(2, 5), Tensor.zeros(2, 4)));
    expectError("initial state 3 of layer 'rnn' has shape (2, 4), expected (2, 5)", "--initial-state", init.toString());
    expectError("directory", "--output", dir.resolve("no/such/dir/out.npz").toString());
    expectError("unknown backend 'nope' (known: ", "--backend", "nope");
    expectError("has no option 'colour'", "--backend-option", "colour=red");
    expectError("over the memory limit of 200 bytes (raise it with -Drnn4j.limits.memory=SIZE", "--memory-limit", "200");
    Path traversal = dir.resolve("traversal.npz");
    try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(traversal))) {
      z.putNextEntry(new java.util.zip.ZipEntry("../../arr_0.npy"));
      z.write(Npy.toBytes(Tensor.zeros(2, 4)));
      z.closeEntry();
    }
    expectError("entry name '../../arr_0.npy' points outside the archive; refused", "--initial-state", traversal.toString());
  }

  @Test
  void aMalformedMemoryLimitIsAUsageError() {
    CliRunner.Outcome o = CliRunner.run("run", "--memory-limit", "lots", "--model", model.toString());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().startsWith("rnn4j: error: --memory-limit must be a positive size such as 512m or 4g, got 'lots'\n"), o.err());
  }

  @Test
  void memoryLimitHoldsForOneRunOnly() {
    org.rnn4j.Limits before = org.rnn4j.Limits.current();
    CliRunner.Outcome o = CliRunner.run("run", "--memory-limit", "300", "--model", model.toString(), "--weights", weights.toString(),
        "--input", input.toString(), "--output", output.toString());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.errorLine().contains("300 B") || o.errorLine().contains("limit"), o.errorLine());
    assertEquals(before, org.rnn4j.Limits.current());
    CliRunner.Outcome after = CliRunner.run("run", "--model", model.toString(), "--weights", weights.toString(), "--input",
        input.toString(), "--output", output.toString());
    assertEquals(0, after.exitCode(), "the next run has the usual limits again: " + after.err());
  }

  /** Runs with one argument replaced and expects exit 2 with a one-line message. */
  private void expectError(String text, String option, String value) {
    java.util.Map<String, String> args = new java.util.LinkedHashMap<>();
    args.put("--model", model.toString());
    args.put("--weights", weights.toString());
    args.put("--input", input.toString());
    args.put("--output", output.toString());
    args.put(option, value);
    List<String> argv = new java.util.ArrayList<>(List.of("run"));
    args.forEach((k, v) -> {
      argv.add(k);
      argv.add(v);
    });
    CliRunner.Outcome o = CliRunner.run(argv.toArray(String[]::new));
    assertEquals(2, o.exitCode(), option + " " + value + ": " + o.err());
    assertTrue(o.errorLine().contains(text), "'" + o.errorLine() + "' should contain '" + text + "'");
    assertFalse(o.errorLine().contains("\n"), "one line: " + o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
  }

  @Test
  void helpShowsAnExampleAndExitCodes() {
    CliRunner.Outcome o = CliRunner.run("run", "--help");
    assertEquals(0, o.exitCode());
    assertTrue(o.out().contains("Example") && o.out().contains("Exit codes:"), o.out());
    CliRunner.Outcome usage = CliRunner.run("run", "--model");
    assertEquals(2, usage.exitCode());
    assertTrue(usage.err().contains("Try 'rnn4j run --help'"), usage.err());
  }
}

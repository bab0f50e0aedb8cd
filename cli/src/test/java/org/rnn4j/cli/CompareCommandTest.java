package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.testing.RandomData;

class CompareCommandTest {
  static final String LSTM_JSON =
      "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 8, \"return_sequences\": true, \"return_state\": true}}";

  @TempDir Path dir;
  Path model;
  Path weights;
  Path input;

  @BeforeEach
  void files() throws IOException {
    model = dir.resolve("lstm.json");
    Files.writeString(model, LSTM_JSON);
    weights = dir.resolve("w.npz");
    Npz.writeList(weights, List.of(RandomData.uniform(1, -1, 1, 5, 32), RandomData.uniform(2, -1, 1, 8, 32), RandomData.uniform(3, -1, 1, 32)));
    input = dir.resolve("x.npy");
    Npy.write(input, RandomData.uniform(4, -2, 2, 300, 20, 5));
  }

  /** The compare command on the test files, with options added or replaced by {@code extra} pairs. */
  private List<String> args(String... extra) {
    java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
    options.put("--model", model.toString());
    options.put("--weights", weights.toString());
    options.put("--input", input.toString());
    for (int i = 0; i < extra.length; i += 2) {
      options.put(extra[i], extra[i + 1]);
    }
    List<String> a = new ArrayList<>(List.of("compare"));
    options.forEach((k, v) -> {
      a.add(k);
      a.add(v);
    });
    return a;
  }

  @Test
  void comparesEveryTensorAndWritesAReportWithProvenance() throws Exception {
    Path report = dir.resolve("report.json");
    CliRunner.Outcome o = CliRunner.run(args("--backends", "reference,tensorflow", "--report", report.toString()).toArray(String[]::new));
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("output    (300, 20, 8)  tensorflow  reference"), o.out());
    assertTrue(o.out().contains("every time step within tolerance; error growth t≤1: "), o.out());
    assertTrue(o.out().contains("All backends agree within tolerance."), o.out());
    assertEquals("", o.err(), "no progress when not on a terminal");
    JsonNode r = new ObjectMapper().readTree(Files.readString(report));
    assertEquals("compare", r.get("command").asText());
    assertTrue(r.get("rnn4j_version").isTextual());
    assertTrue(r.get("backends").get(1).get("version").asText().startsWith("TensorFlow "));
    assertTrue(r.get("java").get("version").isTextual() && r.get("java").get("vendor").isTextual());
    assertTrue(r.get("os").get("name").isTextual() && r.get("os").get("arch").isTextual());
    assertEquals(64, r.get("files").get("input").get("sha256").asText().length());
    assertEquals(3, r.get("files").get("input").get("shape").size());
    assertEquals(1e-5, r.get("tolerance").get("atol").asDouble());
    JsonNode first = r.get("comparisons").get(0);
    assertEquals("output", first.get("tensor").asText());
    assertEquals(20, first.get("max_abs_diff_by_step").size());
    assertTrue(first.get("first_failing_step").isNull());
    assertTrue(r.get("agree").asBoolean());
  }

  @Test
  void reportsTheFirstFailingTimeStepAndExits1() {
    CliRunner.Outcome o = CliRunner.run(args("--atol", "0", "--format", "json").toArray(String[]::new));
    assertEquals(1, o.exitCode(), o.err());
    assertTrue(o.out().contains("\"first_failing_step\" : 0") || o.out().matches("(?s).*\"first_failing_step\" : \\d+.*"), o.out());
    assertTrue(o.out().contains("\"agree\" : false"), o.out());
  }

  @Test
  void badInputIsOneLineWithExit2() throws IOException {
    expect(args("--input", dir.resolve("nope.npy").toString()), "nope.npy: no such file");
    Path truncated = dir.resolve("t.npy");
    byte[] b = Files.readAllBytes(input);
    Files.write(truncated, java.util.Arrays.copyOf(b, 300));
    expect(args("--input", truncated.toString()), "truncated data");
    Path other = dir.resolve("other.npz");
    Npz.writeList(other, List.of(Tensor.zeros(5, 16), Tensor.zeros(4, 16), Tensor.zeros(16)));
    expect(args("--weights", other.toString()), "weight 0 'lstm/kernel' has shape (5, 16), expected (5, 32)");
    Path conv = dir.resolve("conv.json");
    Files.writeString(conv, "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\"}}");
    expect(args("--model", conv.toString()), "unsupported layer: Conv2D 'conv2d'");
    expect(args("--backends", "reference,tpu"), "unknown backend 'tpu'");
    Path init = dir.resolve("init.npz");
    Npz.writeList(init, List.of(Tensor.zeros(300, 8), Tensor.zeros(300, 7)));
    expect(args("--initial-state", init.toString()), "initial state 1 of layer 'lstm' has shape (300, 7), expected (300, 8)");
    expect(args("--report", dir.resolve("missing/dir/r.json").toString()), "cannot write --report");
  }

  private static void expect(List<String> argv, String text) {
    CliRunner.Outcome o = CliRunner.run(argv.toArray(String[]::new));
    assertEquals(2, o.exitCode(), argv + ": " + o.err());
    assertTrue(o.errorLine().contains(text), "'" + o.errorLine() + "' should contain '" + text + "'");
    assertFalse(o.errorLine().contains("\n") || o.err().contains("\tat "), o.err());
  }

  @Test
  void everyCommandHasHelpWithAnExample() {
    for (String cmd : List.of("notebook", "run", "compare", "inspect", "backends")) {
      CliRunner.Outcome o = CliRunner.run(cmd, "--help");
      assertEquals(0, o.exitCode());
      assertTrue(o.out().contains("Example"), cmd + ": " + o.out());
      assertTrue(o.out().contains("Exit codes: 0"), cmd);
    }
    CliRunner.Outcome top = CliRunner.run();
    assertTrue(top.out().contains("notebook") && top.out().contains("compare"), top.out());
  }

  @Test
  void comparesAStreamOfCallsWithCarriedStates() throws Exception {
    Path x1 = dir.resolve("x1.npy");
    Path x2 = dir.resolve("x2.npy");
    Npy.write(x1, RandomData.uniform(5, -1, 1, 2, 4, 5));
    Npy.write(x2, RandomData.uniform(6, -1, 1, 2, 3, 5));
    Path report = dir.resolve("stream.json");
    CliRunner.Outcome o = CliRunner.run("compare", "--model", model.toString(), "--weights", weights.toString(), "--input", x1.toString(),
        "--input", x2.toString(), "--stateful", "--report", report.toString());
    assertEquals(0, o.exitCode(), o.out() + o.err());
    assertTrue(o.out().contains("a stream of 2 calls, states carried"), o.out());
    assertTrue(o.out().contains("call 1: output") && o.out().contains("call 1: c (lstm)"), o.out());
    assertTrue(o.out().contains("All backends agree within tolerance over the whole stream."), o.out());
    JsonNode json = new ObjectMapper().readTree(Files.readString(report));
    assertEquals(2, json.get("calls").asInt());
    assertEquals("call_1/output", json.get("comparisons").get(3).get("tensor").asText());
    // the second call started from the first one's states: its output is not that of a fresh call
    org.rnn4j.Result fresh;
    org.rnn4j.Result carried;
    try (var backend = org.rnn4j.Backends.open("reference");
        org.rnn4j.PreparedModel p = backend.prepare(org.rnn4j.keras.KerasModels.load(model, weights))) {
      fresh = p.run(Npy.read(x2));
      org.rnn4j.StatefulModel stream = org.rnn4j.StatefulModel.of(p);
      stream.run(Npy.read(x1));
      carried = stream.run(Npy.read(x2));
    }
    assertFalse(java.util.Arrays.equals(fresh.output().toArray(), carried.output().toArray()));
    CliRunner.Outcome bad = CliRunner.run("compare", "--model", model.toString(), "--weights", weights.toString(), "--input", x1.toString(),
        "--stateful", "--expected", report.toString());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--stateful compares a stream of outputs"), bad.err());
  }
}

package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Backends;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.parity.RecordedOutputs;
import org.rnn4j.testing.RandomData;

/**
 * {@code rnn4j compare --expected}: Keras' recorded outputs (the Keras 3 fixtures, whose outputs
 * were computed by Keras) as the baseline on every backend; a perturbed value named with its
 * tensor, index and time step; missing, extra and misshaped arrays refused in one line.
 */
class CompareExpectedTest {
  @TempDir Path dir;

  private static final Path MODEL = GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn.keras");
  private static final Path X = GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_x.npy");
  private static final Path Y = GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_y.npy");

  private CliRunner.Outcome compare(Path model, Path weights, Path x, Path expected, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("compare", "--model", model.toString(), "--input", x.toString(),
        "--expected", expected.toString()));
    if (weights != null) {
      args.addAll(List.of("--weights", weights.toString()));
    }
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void recordedKerasOutputsAreTheBaselineOfEveryBackend() throws Exception {
    Path positional = dir.resolve("keras.npz");
    Npz.writeList(positional, List.of(Npy.read(Y)));
    CliRunner.Outcome o = compare(MODEL, null, X, positional, "--report", dir.resolve("r.json").toString());
    assertEquals(0, o.exitCode(), o.out() + o.err());
    assertTrue(o.out().contains("arr_0 (output)  (1, 3, 8)  reference   keras"), o.out());
    assertTrue(o.out().contains("arr_0 (output)  (1, 3, 8)  tensorflow  keras"), o.out());
    assertTrue(o.out().contains("Every backend matches the recorded outputs within tolerance."), o.out());
    String report = java.nio.file.Files.readString(dir.resolve("r.json"));
    assertTrue(report.contains("\"baseline\" : \"keras\"") && report.contains("\"expected\""), report);
    // the same outputs named as rnn4j run writes them
    Path named = dir.resolve("named.npz");
    Npz.write(named, Map.of("output", Npy.read(Y)));
    assertEquals(0, compare(MODEL, null, X, named).exitCode());
    // a Keras 3 .weights.h5 model and its recorded outputs
    Path gru = GoldenFiles.path("fixtures/keras3/gru_reset_before.json");
    Path gruOut = dir.resolve("gru.npz");
    Npz.writeList(gruOut, List.of(Npy.read(GoldenFiles.path("fixtures/keras3/gru_reset_before_y.npy"))));
    CliRunner.Outcome g = compare(gru, GoldenFiles.path("fixtures/keras3/gru_reset_before.weights.h5"),
        GoldenFiles.path("fixtures/keras3/gru_reset_before_x.npy"), gruOut);
    assertEquals(0, g.exitCode(), g.out() + g.err());
  }

  @Test
  void aValuePerturbedBy1e3IsNamedWithItsIndexAndTimeStep() throws Exception {
    Tensor y = Npy.read(Y);
    float[] v = y.toArray();
    int at = (0 * 3 + 2) * 8 + 5; // batch 0, time step 2, feature 5
    v[at] += 1e-3f;
    Path bad = dir.resolve("bad.npz");
    Npz.writeList(bad, List.of(Tensor.of(y.shape(), v)));
    CliRunner.Outcome o = compare(MODEL, null, X, bad, "--backends", "reference");
    assertEquals(1, o.exitCode(), o.out() + o.err());
    assertTrue(o.out().contains("arr_0 (output), reference vs keras: worst at index [0, 2, 5]"), o.out());
    assertTrue(o.out().contains("arr_0 (output), reference vs keras: first out of tolerance at time step 2"), o.out());
    assertTrue(o.out().contains("A backend DIFFERS from the recorded outputs"), o.out());
  }

  @Test
  void missingExtraAndMisshapedArraysAreOneLineErrors() throws Exception {
    // a model that returns its output and both LSTM states: model.predict gives [output, h, c]
    Path model = dir.resolve("lstm.json");
    java.nio.file.Files.writeString(model, CompareCommandTest.LSTM_JSON);
    Path weights = dir.resolve("w.npz");
    Npz.writeList(weights, List.of(RandomData.uniform(1, -1, 1, 5, 32), RandomData.uniform(2, -1, 1, 8, 32), RandomData.uniform(3, -1, 1, 32)));
    Path x = dir.resolve("x.npy");
    Npy.write(x, RandomData.uniform(4, -2, 2, 2, 4, 5));
    Result r;
    try (var backend = Backends.open("reference"); PreparedModel p = backend.prepare(KerasModels.load(model, weights))) {
      r = p.run(Npy.read(x));
    }
    Path all = dir.resolve("all.npz");
    Npz.writeList(all, r.kerasOutputs());
    assertEquals(0, compare(model, weights, x, all).exitCode());
    Path missing = dir.resolve("missing.npz");
    Npz.writeList(missing, r.kerasOutputs().subList(0, 2));
    CliRunner.Outcome o = compare(model, weights, x, missing);
    assertEquals(2, o.exitCode());
    assertEquals(missing + ": missing array 'arr_2' (c (lstm)): the model returns 3 (arr_0 = output, arr_1 = h (lstm), arr_2 = c (lstm))",
        o.err().strip().replaceFirst("^rnn4j: error: ", ""));
    Path extra = dir.resolve("extra.npz");
    Map<String, Tensor> named = new LinkedHashMap<>();
    named.put("output", r.output());
    named.put("state_0", r.flatStates().get(0));
    named.put("state_1", r.flatStates().get(1));
    named.put("state_2", r.flatStates().get(1));
    Npz.write(extra, named);
    o = compare(model, weights, x, extra);
    assertEquals(2, o.exitCode());
    assertTrue(o.err().contains("unexpected array 'state_2'"), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    Path shape = dir.resolve("shape.npz");
    Npz.writeList(shape, List.of(r.output(), r.flatStates().get(0), Tensor.zeros(new int[] {2, 7})));
    o = compare(model, weights, x, shape);
    assertEquals(2, o.exitCode());
    assertTrue(o.err().contains("array 'arr_2' (c (lstm)) has shape (2, 7), the model returns (2, 8)"), o.err());
    o = CliRunner.run("compare", "--model", model.toString(), "--weights", weights.toString(), "--input", x.toString(),
        "--expected", dir.resolve("absent.npz").toString());
    assertEquals(2, o.exitCode());
    assertTrue(o.err().contains("absent.npz"), o.err());
  }

  /**
   * The README's Python lines that record a model's outputs, run word for word with NumPy and a
   * stand-in for Keras whose {@code predict} returns a list of two arrays: the file they write is
   * the positional recording rnn4j reads. Skipped, with the reason, without Python and NumPy.
   */
  @Test
  void theReadmePythonLinesWriteWhatRnn4jReads() throws Exception {
    Assumptions.assumeTrue(pythonWithNumpy(), "python3 with NumPy is not installed: the README's recording lines are not run");
    String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```python\n") + "```python\n".length();
    String script = readme.substring(start, readme.indexOf("```", start));
    Path keras = dir.resolve("keras");
    java.nio.file.Files.createDirectories(keras.resolve("saving"));
    java.nio.file.Files.writeString(keras.resolve("__init__.py"), "from . import saving\n");
    java.nio.file.Files.writeString(keras.resolve("saving").resolve("__init__.py"), String.join("\n",
        "import numpy as np",
        "class _Model:",
        "    def predict(self, x):",
        "        return [x[:, -1, :2] * 2, x.sum(axis=-1)]",
        "def load_model(path):",
        "    assert path == 'model.keras'",
        "    return _Model()", ""));
    java.nio.file.Files.writeString(dir.resolve("record.py"), script);
    Process p = new ProcessBuilder("python3", "record.py").directory(dir.toFile()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), log);
    Tensor x = Npy.read(dir.resolve("x.npy"));
    RecordedOutputs recorded = RecordedOutputs.read(dir.resolve("keras_outputs.npz"));
    assertTrue(recorded.positional());
    assertEquals(List.of("arr_0", "arr_1"), List.copyOf(recorded.arrays().keySet()));
    assertEquals(x.dim(0), recorded.arrays().get("arr_1").dim(0));
  }

  private static boolean pythonWithNumpy() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (java.io.IOException | InterruptedException e) {
      return false;
    }
  }
}

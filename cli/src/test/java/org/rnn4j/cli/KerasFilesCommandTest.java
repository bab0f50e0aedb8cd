package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Tensor;
import org.rnn4j.io.Hdf5Arrays;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.Golden;

/** {@code run}, {@code compare} and {@code inspect} on real Keras files. */
class KerasFilesCommandTest {
  @TempDir Path dir;

  @Test
  void runsAFullModelH5WithoutWeightsOption() {
    Path io = Golden.file("dl4j/examples/simple_rnn/simple_rnn_tf_keras_2_inputs_and_outputs.h5");
    Path x = dir.resolve("x.npy");
    Npy.write(x, Hdf5Arrays.read(io, "inputs/simple_rnn_1_input"));
    for (String backend : new String[] {"reference", "tensorflow"}) {
      Path out = dir.resolve(backend + ".npz");
      CliRunner.Outcome o = CliRunner.run("run", "--model", Golden.file("dl4j/examples/simple_rnn/simple_rnn_tf_keras_2_model.h5").toString(),
          "--input", x.toString(), "--backend", backend, "--output", out.toString());
      assertEquals(0, o.exitCode(), o.err());
      Map<String, Tensor> arrays = Npz.read(out);
      Checks.assertClose(backend, Hdf5Arrays.read(io, "predictions/dense_1"), arrays.get("output"), Checks.ATOL, 0);
    }
  }

  @Test
  void comparesAKeras3Archive() {
    Path x = Golden.fixture("keras3/bidirectional_simple_rnn_x.npy");
    CliRunner.Outcome o = CliRunner.run("compare", "--model", Golden.fixture("keras3/bidirectional_simple_rnn.keras").toString(),
        "--input", x.toString());
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("All backends agree"), o.out());
    // and each backend against the outputs keras-js recorded for this model
    for (String backend : new String[] {"reference", "tensorflow"}) {
      Path out = dir.resolve("k3-" + backend + ".npz");
      CliRunner.Outcome r = CliRunner.run("run", "--model", Golden.fixture("keras3/bidirectional_simple_rnn.keras").toString(),
          "--input", x.toString(), "--backend", backend, "--output", out.toString());
      assertEquals(0, r.exitCode(), r.err());
      Checks.assertClose(backend, org.rnn4j.io.Npy.read(Golden.fixture("keras3/bidirectional_simple_rnn_y.npy")), Npz.read(out).get("output"),
          org.rnn4j.testing.KerasJsCase.ATOL, 0);
    }
  }

  @Test
  void inspectSummarizesLikeKeras() {
    CliRunner.Outcome o = CliRunner.run("inspect", Golden.file("dl4j/fullconfigs/lstm/lstm_th_keras_2_config.json").toString(),
        "--weights", Golden.file("dl4j/fullconfigs/lstm/lstm_th_keras_2_weights.h5").toString());
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("written by Keras 2.0.8"), o.out());
    assertTrue(o.out().matches("(?s).*lstm_1 \\(LSTM\\) +\\(None, 4, 96\\) +41,856.*"), o.out());
    assertTrue(o.out().contains("Total params: 116,065"), o.out());
    CliRunner.Outcome bad = CliRunner.run("inspect", Golden.fixture("bad/unknown_layer.keras").toString());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.errorLine().contains("layer 3 (MultiHeadAttention 'mha'): takes [query, value] or [query, value, key]"), bad.err());
    CliRunner.Outcome truncated = CliRunner.run("inspect", Golden.fixture("bad/truncated.keras").toString());
    assertEquals(2, truncated.exitCode());
    assertTrue(truncated.errorLine().contains("not a valid .keras (zip) archive"), truncated.err());
  }
  @Test
  void inspectNamesAnAttentionCallsOwnMasks() throws java.io.IOException {
    String tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"%s\", 0, 0]}}";
    String input = "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"name\": \"%s\", \"config\": {\"name\": \"%s\","
        + " \"batch_shape\": %s, \"dtype\": \"float32\"}, \"inbound_nodes\": []}";
    String attention = "{\"module\": \"keras.layers\", \"class_name\": \"Attention\", \"name\": \"att\", \"config\": {\"name\": \"att\","
        + " \"use_scale\": false, \"score_mode\": \"dot\", \"dropout\": 0.0}, \"inbound_nodes\": [{\"args\": [[" + String.format(tensor, "q")
        + ", " + String.format(tensor, "v") + "]], \"kwargs\": {\"mask\": [null, " + String.format(tensor, "vm") + "]}}]}";
    String json = "{\"module\": \"keras\", \"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": ["
        + String.format(input, "q", "q", "[null, 4, 3]") + ", " + String.format(input, "v", "v", "[null, 6, 3]") + ", "
        + String.format(input, "vm", "vm", "[null, 6]") + ", " + attention + "], \"input_layers\": [[\"q\", 0, 0], [\"v\", 0, 0], [\"vm\", 0, 0]],"
        + " \"output_layers\": [[\"att\", 0, 0]]}}";
    Path file = dir.resolve("attention.json");
    java.nio.file.Files.writeString(file, json);
    CliRunner.Outcome o = CliRunner.run("inspect", file.toString());
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("value_mask=vm") && !o.out().contains("query_mask="), o.out());
  }
}

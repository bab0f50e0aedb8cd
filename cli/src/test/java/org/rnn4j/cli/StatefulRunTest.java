package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.KerasJsCase;

/**
 * A Keras config with stateful=True run on several inputs in sequence: each call starts from the
 * previous call's final states. Checked against keras-js' stateful cases, which Keras predicted
 * twice on the same input.
 */
class StatefulRunTest {
  @TempDir Path dir;

  @Test
  void secondCallMatchesKerasOnBothBackends() throws Exception {
    for (String id : List.of("recurrent.LSTM.5", "recurrent.GRU.6", "recurrent.SimpleRNN.8")) {
      KerasJsCase c = KerasJsCase.load(id.split("\\.")[1]).stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
      Path model = dir.resolve(id + ".json");
      Files.writeString(model, config(c));
      Path weights = dir.resolve(id + ".npz");
      Npz.writeList(weights, c.model().weights().values());
      Path x = dir.resolve(id + ".npy");
      Npy.write(x, c.input());
      for (String backend : List.of("reference", "tensorflow")) {
        Path out = dir.resolve(id + "." + backend + ".npz");
        CliRunner.Outcome o = CliRunner.run("run", "--model", model.toString(), "--weights", weights.toString(),
            "--input", x.toString(), "--input", x.toString(), "--backend", backend, "--output", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        Map<String, Tensor> arrays = Npz.read(out);
        assertTrue(arrays.containsKey("call_0/output") && arrays.containsKey("call_1/output"), arrays.keySet().toString());
        Checks.assertClose(id + " on " + backend, c.expected(), arrays.get("call_1/output"), KerasJsCase.ATOL, 0);
      }
    }
  }

  /** The case's layer as Keras 2 JSON. */
  private static String config(KerasJsCase c) {
    var layer = (org.rnn4j.layers.RNN) c.model().architecture().layer(0);
    var cell = (org.rnn4j.layers.SingleCell) layer.cell();
    String recurrent = cell instanceof org.rnn4j.layers.LSTMCell l ? ", \"recurrent_activation\": \"" + l.recurrentActivation().kerasName() + "\""
        : cell instanceof org.rnn4j.layers.GRUCell g ? ", \"recurrent_activation\": \"" + g.recurrentActivation().kerasName() + "\", \"reset_after\": false" : "";
    int[] in = c.input().shape();
    return "{\"class_name\": \"" + layer.kerasClassName() + "\", \"keras_version\": \"2.0.8\", \"config\": {\"name\": \"r\", \"units\": "
        + cell.units() + ", \"activation\": \"" + cell.activation().kerasName() + "\"" + recurrent
        + ", \"use_bias\": " + cell.useBias() + ", \"return_sequences\": " + layer.returnSequences() + ", \"go_backwards\": "
        + layer.goBackwards() + ", \"stateful\": true, \"batch_input_shape\": [1, " + in[1] + ", " + in[2] + "]}}";
  }
}

package org.rnn4j.testing;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Call;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.io.Hdf5Arrays;
import org.rnn4j.io.Npy;
import org.rnn4j.keras.KerasModels;

/**
 * Real Keras model files (dl4j-test-resources: Keras 1.2.2, 2.0.x and 2.1.3 {@code .h5} files with
 * their recorded predictions) and Keras 3 and tf.keras 2.13–2.15 files built to their savers' layouts
 * from golden cases,
 * loaded with {@link KerasModels} and run on the backend under test.
 */
final class KerasFilesSuite {
  private KerasFilesSuite() {}

  /** The dl4j stacked LSTM's predictions span 1.9e-8 to 0.34: absolute and relative tolerance. */
  static final double FULLCONFIG_ATOL = 1e-6;
  static final double FULLCONFIG_RTOL = 1e-5;
  /**
   * The dl4j examples' inputs are about ±100 and their predictions reach |y| ≈ 40, where 1e-5 is
   * three float32 ulps: 1e-5 absolute plus 1e-6 relative.
   */
  static final double EXAMPLES_RTOL = 1e-6;

  static Stream<DynamicNode> tests(ContractContext ctx) {
    return Stream.of(
        dynamicTest("dl4j fullconfigs/lstm: Keras 2.0.8 LSTM-LSTM-Dense, all 283 sequences vs predictions.npy", () -> fullconfig(ctx)),
        examples(ctx, "simple_lstm/simple_lstm_tf_keras_1"),
        examples(ctx, "simple_lstm/simple_lstm_th_keras_1"),
        examples(ctx, "simple_rnn/simple_rnn_tf_keras_2"),
        examples(ctx, "simple_flatten_lstm/simple_flatten_lstm_tf_keras_2"),
        examples(ctx, "simple_flatten_rnn/simple_flatten_rnn_tf_keras_2"),
        dynamicTest("TensorFlow.js layers model (dl4j simple_flatten_lstm_tf_keras_2 converted, two shards) vs recorded predictions", () -> {
          Path io = Golden.file("dl4j/examples/simple_flatten_lstm/simple_flatten_lstm_tf_keras_2_inputs_and_outputs.h5");
          Tensor x = Hdf5Arrays.read(io, "inputs/" + firstName(io, "inputs"));
          Tensor expected = Hdf5Arrays.read(io, "predictions/" + firstName(io, "outputs"));
          Model m = KerasModels.load(Golden.fixture("tfjs/simple_flatten_lstm/model.json", "group1-shard1of2.bin", "group1-shard2of2.bin"));
          record(ctx, "tfjs simple_flatten_lstm", expected, ctx.run(m, x).output(), Checks.ATOL, EXAMPLES_RTOL);
        }),
        dynamicTest("Keras 3 .keras: RTNeural GRU model vs tf.keras outputs", () -> rtneuralGru(ctx, "keras3/rtneural_gru.keras")),
        dynamicTest("Keras 3 .keras: Bidirectional(SimpleRNN) vs keras-js", () -> keras3(ctx, "bidirectional_simple_rnn",
            KerasModels.load(Golden.fixture("keras3/bidirectional_simple_rnn.keras")))),
        dynamicTest("Keras 3 config.json + .weights.h5: GRU(reset_after=False) vs keras-js", () -> keras3(ctx, "gru_reset_before",
            KerasModels.load(Golden.fixture("keras3/gru_reset_before.json"), Golden.fixture("keras3/gru_reset_before.weights.h5")))),
        dynamicTest("Keras 3 legacy .h5: RTNeural GRU model vs tf.keras outputs", () -> rtneuralGru(ctx, "keras3/rtneural_gru.h5")),
        dynamicTest("tf.keras 2.13 .keras (layers numbered with gaps): RTNeural GRU model vs tf.keras outputs",
            () -> rtneuralGru(ctx, "tfkeras2/rtneural_gru.keras")),
        dynamicTest("tf.keras 2.15 .keras saved on Windows ('\\' in paths): RTNeural GRU model vs tf.keras outputs",
            () -> rtneuralGru(ctx, "tfkeras2/rtneural_gru_windows.keras")),
        dynamicTest("tf.keras 2.14 .keras: functional Bidirectional(SimpleRNN) vs keras-js", () -> keras3(ctx, "bidirectional_simple_rnn",
            KerasModels.load(Golden.fixture("tfkeras2/bidirectional_functional.keras")))),
        dynamicTest("Keras 3 .keras: stacked cells and Dense vs float64 oracle", () -> {
          Model m = KerasModels.load(Golden.fixture("keras3/stacked.keras"));
          Call call = Call.of(RandomData.uniform(3, -1, 1, 4, 6, 3));
          record(ctx, "stacked.keras", Float64Oracle.run(m, call).output(), ctx.run(m, call).output(), Checks.ATOL, 0);
        }));
  }

  private static void rtneuralGru(ContractContext ctx, String fixture) {
    Model m = KerasModels.load(Golden.fixture(fixture));
    RtNeuralCase golden = RtNeuralCase.load("gru");
    record(ctx, fixture, golden.expected(), ctx.run(m, golden.input()).output(), Checks.ATOL, 0);
  }

  private static void keras3(ContractContext ctx, String name, Model m) {
    Tensor x = Npy.read(Golden.fixture("keras3/" + name + "_x.npy"));
    Tensor y = Npy.read(Golden.fixture("keras3/" + name + "_y.npy"));
    record(ctx, name, y, ctx.run(m, x).output(), KerasJsCase.ATOL, 0);
  }

  private static void fullconfig(ContractContext ctx) {
    Model m = KerasModels.load(Golden.file("dl4j/fullconfigs/lstm/lstm_th_keras_2_config.json"),
        Golden.file("dl4j/fullconfigs/lstm/lstm_th_keras_2_weights.h5"));
    int n = 283;
    float[] x = new float[n * 4 * 12];
    for (int i = 0; i < n; i++) {
      List<String> rows = Golden.text("dl4j/fullconfigs/lstm/data/sequences/" + i + ".csv").lines().filter(l -> !l.isBlank()).toList();
      for (int t = 0; t < 4; t++) {
        String[] cols = rows.get(t).split(";");
        for (int f = 0; f < 12; f++) {
          x[(i * 4 + t) * 12 + f] = Float.parseFloat(cols[f]);
        }
      }
    }
    Tensor predictions = Npy.read(Golden.file("dl4j/fullconfigs/lstm/predictions.npy")).reshape(n, 1);
    Tensor out = ctx.run(m, Tensor.wrap(new int[] {n, 4, 12}, x)).output();
    record(ctx, "fullconfigs/lstm", predictions, out, FULLCONFIG_ATOL, FULLCONFIG_RTOL);
  }

  /** A dl4j example: the full-model .h5 and config + weights .h5, against the recorded predictions. */
  private static DynamicNode examples(ContractContext ctx, String prefix) {
    return dynamicTest("dl4j " + prefix + ": model.h5 and config.json + weights.h5 vs recorded predictions", () -> {
      Path io = Golden.file("dl4j/examples/" + prefix + "_inputs_and_outputs.h5");
      Tensor x = Hdf5Arrays.read(io, "inputs/" + firstName(io, "inputs"));
      Tensor expected = Hdf5Arrays.read(io, "predictions/" + firstName(io, "outputs"));
      Model full = KerasModels.load(Golden.file("dl4j/examples/" + prefix + "_model.h5"));
      Model separate = KerasModels.load(Golden.file("dl4j/examples/" + prefix + "_config.json"),
          Golden.file("dl4j/examples/" + prefix + "_weights.h5"));
      record(ctx, prefix + " model.h5", expected, ctx.run(full, x).output(), Checks.ATOL, EXAMPLES_RTOL);
      record(ctx, prefix + " weights.h5", expected, ctx.run(separate, x).output(), Checks.ATOL, EXAMPLES_RTOL);
    });
  }

  /** The first name an inputs-and-outputs file lists under {@code key} ("inputs" or "outputs"). */
  private static String firstName(Path io, String key) throws java.io.IOException {
    try (HdfFile h5 = Hdf5Arrays.open(io)) {
      return new ObjectMapper().readTree((String) h5.getAttribute(key).getData()).get(key).get(0).asText();
    }
  }

  private static void record(ContractContext ctx, String what, Tensor expected, Tensor actual, double atol, double rtol) {
    ctx.record("Keras files", Checks.assertClose(what, expected, actual, atol, rtol).maxAbs());
  }
}

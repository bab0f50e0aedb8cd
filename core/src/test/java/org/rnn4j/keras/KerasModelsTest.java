package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Model;
import org.rnn4j.Rnn4jException;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.io.Hdf5Arrays;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.TimeDistributed;

/** Loading real Keras files (golden data) and Keras 3 files built to the published layout (fixtures). */
class KerasModelsTest {
  @TempDir Path tmp;

  static Path resource(String path) {
    return GoldenFiles.path(path);
  }

  static Path golden(String path) {
    return resource("golden/" + path);
  }

  @Test
  void readsKeras2WeightsByLayerOrderAndWeightNames() {
    Path config = golden("dl4j/fullconfigs/lstm/lstm_th_keras_2_config.json");
    Path weights = golden("dl4j/fullconfigs/lstm/lstm_th_keras_2_weights.h5");
    Model m = KerasModels.load(config, weights);
    assertArrayEquals(new int[] {4, 12}, m.architecture().input().shape());
    assertEquals(Activation.HARD_SIGMOID, ((LSTMCell) ((RNN) m.architecture().layer(0)).cell()).recurrentActivation());
    assertEquals(Hdf5Arrays.read(weights, "lstm_2/lstm_2/recurrent_kernel"), m.weights().get(4));
    assertEquals(8, m.weights().size());
    Model split = KerasModels.load(config, resource("fixtures/legacy/split_attributes_weights.h5"));
    assertEquals(m.weights().values(), split.weights().values(), "layer_names0/1 and weight_names0/1 are joined");
  }

  @Test
  void readsFullModelH5FilesOfKeras1And2() {
    for (String name : List.of("simple_lstm/simple_lstm_tf_keras_2_model.h5", "simple_rnn/simple_rnn_tf_keras_2_model.h5",
        "simple_flatten_rnn/simple_flatten_rnn_tf_keras_2_model.h5", "simple_lstm/simple_lstm_th_keras_1_model.h5")) {
      Model full = KerasModels.load(golden("dl4j/examples/" + name));
      Path config = golden("dl4j/examples/" + name.replace("_model.h5", "_config.json"));
      Path weights = golden("dl4j/examples/" + name.replace("_model.h5", "_weights.h5"));
      Model separate = KerasModels.load(config, weights);
      assertEquals(full.weights().values(), separate.weights().values(), name);
    }
  }

  @Test
  void convertsKeras1PerGateWeightsToKeras2Layout() {
    Path file = golden("dl4j/examples/simple_lstm/simple_lstm_tf_keras_1_model.h5");
    Model m = KerasModels.load(file);
    Tensor kernel = m.weights().get(0);
    assertArrayEquals(new int[] {1, 200}, kernel.shape());
    String[] gates = {"i", "f", "c", "o"};
    for (int g = 0; g < 4; g++) {
      Tensor w = Hdf5Arrays.read(file, "model_weights/lstm_1/lstm_1_W_" + gates[g] + ":0");
      Tensor u = Hdf5Arrays.read(file, "model_weights/lstm_1/lstm_1_U_" + gates[g] + ":0");
      Tensor b = Hdf5Arrays.read(file, "model_weights/lstm_1/lstm_1_b_" + gates[g] + ":0");
      for (int j = 0; j < 50; j++) {
        assertEquals(w.get(0, j), kernel.get(0, g * 50 + j), "kernel gate " + gates[g]);
        assertEquals(u.get(3, j), m.weights().get(1).get(3, g * 50 + j), "recurrent gate " + gates[g]);
        assertEquals(b.get(j), m.weights().get(2).get(g * 50 + j), "bias gate " + gates[g]);
      }
    }
  }

  @Test
  void readsKeras3ArchivesByObjectPath() throws Exception {
    Model m = KerasModels.load(resource("fixtures/keras3/rtneural_gru.keras"));
    assertTrue(m.architecture().layer(0) instanceof TimeDistributed);
    assertTrue(((GRUCell) ((RNN) m.architecture().layer(1)).cell()).resetAfter());
    JsonNode rt = new ObjectMapper().readTree(golden("rtneural/models/gru.json").toFile());
    JsonNode gruKernel = rt.get("layers").get(1).get("weights").get(0);
    assertEquals((float) gruKernel.get(2).get(5).asDouble(), m.weights().get(2).get(2, 5));
    Model bi = KerasModels.load(resource("fixtures/keras3/bidirectional_simple_rnn.keras"));
    assertEquals("backward_simple_rnn", ((Bidirectional) bi.architecture().layer(0)).backwardLayer().name());
    Model separate = KerasModels.load(resource("fixtures/keras3/gru_reset_before.json"), resource("fixtures/keras3/gru_reset_before.weights.h5"));
    assertEquals(List.of(5, 15), List.of(separate.weights().get(0).dim(0), separate.weights().get(0).dim(1)));
    Model stacked = KerasModels.load(resource("fixtures/keras3/stacked.keras"));
    assertEquals(8, stacked.weights().size());
  }

  @Test
  void readsTfKeras2ArchivesWithNumberingGapsAndWindowsPaths() {
    Model keras3 = KerasModels.load(resource("fixtures/keras3/rtneural_gru.keras"));
    for (String name : List.of("rtneural_gru.keras", "rtneural_gru_windows.keras")) {
      Model m = KerasModels.load(resource("fixtures/tfkeras2/" + name));
      assertEquals(keras3.weights().values(), m.weights().values(), name + ": dense and dense_2 are the model's two Dense layers");
      assertEquals(2, KerasFileInfo.read(resource("fixtures/tfkeras2/" + name)).version().major(), name);
    }
    Model bi = KerasModels.load(resource("fixtures/tfkeras2/bidirectional_functional.keras"));
    Model biKeras3 = KerasModels.load(resource("fixtures/keras3/bidirectional_simple_rnn.keras"));
    assertEquals(biKeras3.weights().values(), bi.weights().values(), "forward then backward, whatever the file's group order");
  }

  @Test
  void readsKeras3LegacyH5Files() {
    Model h5 = KerasModels.load(resource("fixtures/keras3/rtneural_gru.h5"));
    assertEquals(KerasModels.load(resource("fixtures/keras3/rtneural_gru.keras")).weights().values(), h5.weights().values());
    assertEquals(3, KerasFileInfo.read(resource("fixtures/keras3/rtneural_gru.h5")).version().major());
  }

  @Test
  void readsTensorFlowJsLayersModelsAcrossShards() throws Exception {
    Model h5 = KerasModels.load(golden("dl4j/examples/simple_flatten_lstm/simple_flatten_lstm_tf_keras_2_model.h5"));
    Path json = GoldenFiles.path("fixtures/tfjs/simple_flatten_lstm/model.json", "group1-shard1of2.bin", "group1-shard2of2.bin");
    Model tfjs = KerasModels.load(json);
    assertEquals(h5.weights().values(), tfjs.weights().values(), "the manifest's weights, read across two shards split mid-weight");
    KerasFileInfo info = KerasFileInfo.read(json);
    assertEquals("TensorFlow.js layers model", info.format());
    assertEquals("2.1.3", info.version().text());

    Path dir = Files.createDirectories(tmp.resolve("tfjs"));
    for (String shard : List.of("group1-shard1of2.bin", "group1-shard2of2.bin")) {
      Files.copy(json.resolveSibling(shard), dir.resolve(shard));
    }
    String text = Files.readString(json);
    expectTfjs(dir, text.replace("group1-shard2of2.bin", "group1-shard9of9.bin"), "shard 'group1-shard9of9.bin' not found beside the model.json");
    expectTfjs(dir, text.replace("group1-shard2of2.bin", "../group1-shard2of2.bin"), "shard '../group1-shard2of2.bin' is not a file name beside the model.json");
    expectTfjs(dir, text.replace("\"weights\": [{\"name\"", "\"weights\": [{\"quantization\": {\"dtype\": \"uint8\"}, \"name\""),
        "is quantized (uint8), which rnn4j does not read");
    expectTfjs(dir, text.replace("\"paths\": [\"group1-shard1of2.bin\", \"group1-shard2of2.bin\"]", "\"paths\": [\"group1-shard1of2.bin\"]"),
        "weight 'lstm_1/recurrent_kernel' of shape [50, 200] needs more than 20104 bytes, what its shards hold after the weights before it");
    expectTfjs(dir, text.replace("\"shape\": [1, 200]", "\"shape\": [2147483647, 2147483647, 2147483647, 2147483647]"),
        "weight 'lstm_1/kernel' of shape [2147483647, 2147483647, 2147483647, 2147483647] needs more than 41804 bytes");
  }

  private void expectTfjs(Path dir, String json, String text) throws Exception {
    Path file = dir.resolve("model.json");
    Files.writeString(file, json);
    FileFormatException e = assertThrows(FileFormatException.class, () -> KerasModels.load(file));
    assertTrue(e.getMessage().contains(text) && e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void refusesTensorFlowSavedModelsSayingHowToResave() throws Exception {
    Path saved = Files.createDirectories(tmp.resolve("exported"));
    Files.write(saved.resolve("saved_model.pb"), new byte[] {8, 1});
    for (Path p : List.of(saved, saved.resolve("saved_model.pb"))) {
      FileFormatException e = assertThrows(FileFormatException.class, () -> KerasModels.load(p));
      assertEquals(p + ": a TensorFlow SavedModel (tf.keras 2's model.save(directory)), which rnn4j does not read;"
          + " re-save the model from Python as .keras or .h5 (model.save(\"m.keras\"))", e.getMessage());
    }
    FileFormatException e = assertThrows(FileFormatException.class, () -> KerasModels.load(tmp));
    assertTrue(e.getMessage().endsWith(": a directory, not a model file (expected a .keras archive, an .h5 file or a .json config)"), e.getMessage());
  }

  @Test
  void refusesBrokenFilesWithOneLineNamingTheProblem() throws Exception {
    expect(FileFormatException.class, "fixtures/bad/truncated.keras", null, "not a valid .keras (zip) archive");
    expect(FileFormatException.class, "fixtures/bad/no_weights.keras", null, "has no 'model.weights.h5'");
    expect(InvalidModelException.class, "fixtures/bad/unknown_layer.keras", null,
        "layer 3 (MultiHeadAttention 'mha'): takes [query, value] or [query, value, key]; it was given one input");
    expect(InvalidModelException.class, "fixtures/bad/wrong_shape.keras", null,
        "weight 3 'gru/recurrent_kernel' has shape (8, 16), expected (8, 24)");
    expect(FileFormatException.class, "fixtures/bad/missing_var.keras", null, "missing weight 'layers/gru/cell/vars/2' (gru/bias) for layer 'gru'");
    expect(FileFormatException.class, "fixtures/bad/tfkeras2_missing_layer.keras", null,
        "missing weights for layer 'dense_2' (no further group '_layer_checkpoint_dependencies/dense[_N]' holding variables)");
    expect(FileFormatException.class, "golden/dl4j/fullconfigs/lstm/lstm_th_keras_2_config.json", "fixtures/bad/missing_group_weights.h5",
        "missing '/lstm_2'");
    expect(FileFormatException.class, "fixtures/keras3/gru_reset_before.json", "fixtures/bad/string_weight.weights.h5", "is not numeric");
    expect(FileFormatException.class, "fixtures/bad/not_hdf5.h5", null, "not a Keras model file");
    expect(FileFormatException.class, "golden/dl4j/fullconfigs/lstm/lstm_th_keras_2_config.json", "fixtures/bad/not_hdf5.h5",
        "not a weights file");
    expect(InvalidModelException.class, "golden/dl4j/examples/simple_lstm/simple_lstm_tf_keras_2_weights.h5", null,
        "a save_weights() file");
    Path wrongModel = tmp.resolve("other.json");
    Files.writeString(wrongModel, Files.readString(golden("dl4j/fullconfigs/lstm/lstm_th_keras_2_config.json")).replace("\"units\": 96", "\"units\": 64"));
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> KerasModels.load(wrongModel, golden("dl4j/fullconfigs/lstm/lstm_th_keras_2_weights.h5")));
    assertTrue(e.getMessage().contains("has shape (12, 384), expected (12, 256)"), e.getMessage());
  }

  private static void expect(Class<? extends Rnn4jException> type, String model, String weights, String text) {
    Rnn4jException e = assertThrows(type, () -> KerasModels.load(resource(model), weights == null ? null : resource(weights)));
    assertTrue(e.getMessage().contains(text), "'" + e.getMessage() + "' should contain '" + text + "'");
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }
}

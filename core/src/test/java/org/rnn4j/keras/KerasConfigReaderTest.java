package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidModelException;
import org.rnn4j.ResourceLimitException;
import org.rnn4j.Tensor;
import org.rnn4j.initializers.Constant;
import org.rnn4j.initializers.Orthogonal;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.StackedRNNCells;

/**
 * Configs in the forms Keras writes them. The Keras 2 forms follow tf.keras 2.x {@code
 * get_config()} output; the Keras 3 forms carry {@code module}, {@code registered_name} and
 * {@code build_config} keys and the {@code OrthogonalInitializer} class name as Keras 3 writes them.
 */
class KerasConfigReaderTest {
  static final String KERAS2_LSTM =
      """
      {"class_name": "LSTM", "config": {"name": "lstm", "trainable": true, "dtype": "float32",
        "return_sequences": true, "return_state": true, "go_backwards": false, "stateful": false,
        "unroll": false, "time_major": false, "units": 4, "activation": "tanh",
        "recurrent_activation": "sigmoid", "use_bias": true,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
        "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}},
        "bias_initializer": {"class_name": "Zeros", "config": {}}, "unit_forget_bias": true,
        "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null,
        "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null,
        "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}}
      """;

  static final String KERAS2_STACK =
      """
      {"class_name": "RNN", "config": {"name": "rnn", "trainable": true, "dtype": "float32",
        "return_sequences": true, "return_state": true, "go_backwards": false, "stateful": false,
        "unroll": false, "time_major": false,
        "cell": {"class_name": "StackedRNNCells", "config": {"cells": [
          {"class_name": "LSTMCell", "config": {"name": "lstm_cell", "trainable": true, "dtype": "float32",
            "units": 4, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
            "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}},
            "bias_initializer": {"class_name": "Zeros", "config": {}}, "unit_forget_bias": true,
            "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null,
            "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null,
            "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}},
          {"class_name": "LSTMCell", "config": {"name": "lstm_cell_1", "trainable": true, "dtype": "float32",
            "units": 5, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": true,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
            "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}},
            "bias_initializer": {"class_name": "Zeros", "config": {}}, "unit_forget_bias": true,
            "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null,
            "kernel_constraint": null, "recurrent_constraint": null, "bias_constraint": null,
            "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}}]}}}}
      """;

  static final String KERAS3_SEQUENTIAL =
      """
      {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
        "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
        "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3, 6],
            "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null},
          {"module": "keras.layers", "class_name": "GRU", "config": {"name": "gru", "trainable": true,
            "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
            "return_sequences": true, "return_state": false, "go_backwards": false, "stateful": false,
            "unroll": false, "zero_output_for_mask": false, "units": 5, "activation": "tanh",
            "recurrent_activation": "hard_sigmoid", "use_bias": true,
            "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
            "recurrent_initializer": {"module": "keras.initializers", "class_name": "OrthogonalInitializer", "config": {"gain": 1.0, "seed": null}, "registered_name": null},
            "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
            "kernel_regularizer": null, "recurrent_regularizer": null, "bias_regularizer": null,
            "activity_regularizer": null, "kernel_constraint": null, "recurrent_constraint": null,
            "bias_constraint": null, "dropout": 0.0, "recurrent_dropout": 0.0, "reset_after": true, "seed": null},
            "registered_name": null, "build_config": {"input_shape": [null, 3, 6]}},
          {"module": "keras.layers", "class_name": "Bidirectional", "config": {"name": "bidirectional", "trainable": true,
            "dtype": "float32", "merge_mode": "sum",
            "layer": {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "forward_lstm", "trainable": true,
              "dtype": "float32", "return_sequences": false, "return_state": false, "go_backwards": false,
              "stateful": false, "unroll": false, "zero_output_for_mask": false, "units": 2, "activation": "tanh",
              "recurrent_activation": "sigmoid", "use_bias": true, "unit_forget_bias": true, "dropout": 0.0,
              "recurrent_dropout": 0.0, "seed": null}, "registered_name": null},
            "backward_layer": {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "backward_lstm", "trainable": true,
              "dtype": "float32", "return_sequences": false, "return_state": false, "go_backwards": true,
              "stateful": false, "unroll": false, "zero_output_for_mask": false, "units": 2, "activation": "relu",
              "recurrent_activation": "sigmoid", "use_bias": true, "unit_forget_bias": true, "dropout": 0.0,
              "recurrent_dropout": 0.0, "seed": null}, "registered_name": null}},
            "registered_name": null, "build_config": {"input_shape": [null, 3, 5]}},
          {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true,
            "dtype": "float32", "units": 1, "activation": "sigmoid", "use_bias": true,
            "kernel_initializer": {"module": "keras.initializers", "class_name": "Constant", "config": {"value": 0.5}, "registered_name": null},
            "bias_initializer": "zeros", "kernel_regularizer": null, "bias_regularizer": null,
            "kernel_constraint": null, "bias_constraint": null}, "registered_name": null}],
        "build_input_shape": [null, 3, 6]}, "registered_name": null}
      """;

  /** The Sequential form of Keras 2.0-2.1, whose config is the layer list itself (Keras 1.2 field names). */
  static final String KERAS1_LIST =
      """
      {"class_name": "Sequential", "keras_version": "1.2.2", "config": [
        {"class_name": "LSTM", "config": {"inner_activation": "hard_sigmoid", "trainable": true,
          "inner_init": "orthogonal", "output_dim": 50, "unroll": false, "consume_less": "cpu",
          "init": "glorot_uniform", "dropout_U": 0.0, "input_dtype": "float32",
          "batch_input_shape": [null, 1, 1], "input_length": null, "dropout_W": 0.2, "activation": "tanh",
          "stateful": false, "b_regularizer": null, "U_regularizer": null, "name": "lstm_1",
          "go_backwards": false, "input_dim": 1, "return_sequences": false, "W_regularizer": null,
          "forget_bias_init": "one"}},
        {"class_name": "Dense", "config": {"W_constraint": null, "b_constraint": null, "name": "dense_1",
          "activity_regularizer": null, "trainable": true, "init": "glorot_uniform", "bias": true,
          "input_dim": 50, "b_regularizer": null, "W_regularizer": null, "activation": "linear", "output_dim": 1}}]}
      """;

  @Test
  void readsAKeras2Layer() {
    KerasModelConfig c = KerasConfigReader.parse(KERAS2_LSTM, "lstm.json", null);
    assertEquals(2, c.version().major());
    assertEquals(null, c.input());
    RNN lstm = (RNN) c.layers().get(0);
    assertEquals("LSTM", lstm.kerasClassName());
    assertEquals("lstm", lstm.name());
    assertTrue(lstm.returnSequences() && lstm.returnState());
    LSTMCell cell = (LSTMCell) lstm.cell();
    assertEquals(4, cell.units());
    assertEquals(Activation.SIGMOID, cell.recurrentActivation());
    assertTrue(cell.recurrentInitializer() instanceof Orthogonal);
    Architecture arch = c.architecture(List.of(Tensor.zeros(6, 16), Tensor.zeros(4, 16), Tensor.zeros(16)));
    assertArrayEquals(new int[] {-1, 6}, arch.input().shape());
  }

  @Test
  void readsStackedCellsAndNamesThem() {
    KerasModelConfig c = KerasConfigReader.parse(KERAS2_STACK, "stack.json", null);
    RNN rnn = (RNN) c.layers().get(0);
    StackedRNNCells stack = (StackedRNNCells) rnn.cell();
    assertEquals(List.of("lstm_cell", "lstm_cell_1"), stack.cellNames());
    assertEquals(List.of(4, 4, 5, 5), stack.stateSizes());
    Architecture arch = c.architecture(List.of(Tensor.zeros(6, 16)));
    assertEquals(
        "[rnn/lstm_cell/kernel(6, 16), rnn/lstm_cell/recurrent_kernel(4, 16), rnn/lstm_cell/bias(16,),"
            + " rnn/lstm_cell_1/kernel(4, 20), rnn/lstm_cell_1/recurrent_kernel(5, 20), rnn/lstm_cell_1/bias(20,)]",
        arch.weightSpecs().toString());
  }

  @Test
  void readsKeras3SequentialWithItsDefinitions() {
    KerasModelConfig c = KerasConfigReader.parse(KERAS3_SEQUENTIAL, "config.json", null);
    assertEquals(3, c.version().major());
    Architecture arch = c.architecture();
    assertArrayEquals(new int[] {3, 6}, arch.input().shape());
    GRUCell gru = (GRUCell) ((RNN) arch.layer(0)).cell();
    assertTrue(gru.resetAfter());
    assertEquals(Activation.HARD_SIGMOID_KERAS3, gru.recurrentActivation(), "Keras 3 hard_sigmoid");
    Bidirectional bi = (Bidirectional) arch.layer(1);
    assertEquals(MergeMode.SUM, bi.mergeMode());
    assertEquals("backward_lstm", bi.backwardLayer().name());
    assertEquals(Activation.RELU, ((LSTMCell) bi.backwardLayer().cell()).activation());
    assertTrue(bi.backwardLayer().goBackwards());
    Dense dense = (Dense) arch.layer(2);
    assertEquals(Activation.SIGMOID, dense.activation());
    assertEquals(new Constant(0.5), arch.weightSpecs().get(arch.weightSpecs().size() - 2).initializer());
    assertArrayEquals(new int[] {1}, arch.outputShape());
  }

  @Test
  void readsTheOldListFormWithKeras1Names() {
    KerasModelConfig c = KerasConfigReader.parse(KERAS1_LIST, "model.json", null);
    assertEquals("1.2.2", c.version().text());
    Architecture arch = c.architecture();
    LSTMCell cell = (LSTMCell) ((RNN) arch.layer(0)).cell();
    assertEquals(50, cell.units());
    assertEquals(Activation.HARD_SIGMOID, cell.recurrentActivation());
    assertEquals(1, ((Dense) arch.layer(1)).units());
    assertArrayEquals(new int[] {1, 1}, arch.input().shape());
  }

  @Test
  void refusesArgumentsItDoesNotImplementByName() {
    String unknown = KERAS2_LSTM.replace("\"implementation\": 2", "\"implementation\": 2, \"peepholes\": true");
    InvalidModelException e = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(unknown, "m.json", null));
    assertTrue(e.getMessage().contains("m.json") && e.getMessage().contains("unsupported argument 'peepholes'"), e.getMessage());
    String timeMajor = KERAS2_LSTM.replace("\"time_major\": false", "\"time_major\": true");
    e = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(timeMajor, "m.json", null));
    assertTrue(e.getMessage().contains("time_major=true is not supported"), e.getMessage());
    String activation = KERAS2_LSTM.replace("\"activation\": \"tanh\"", "\"activation\": \"swishy\"");
    e = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(activation, "m.json", null));
    assertTrue(e.getMessage().contains("LSTM 'lstm'") && e.getMessage().contains("unsupported activation 'swishy'"), e.getMessage());
    String glu = KERAS2_LSTM.replace("\"activation\": \"tanh\"", "\"activation\": \"glu\"");
    e = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(glu, "m.json", null));
    assertTrue(e.getMessage().contains("must keep the width of its states; 'glu' does not"), e.getMessage());
    String dtype = KERAS2_LSTM.replace("\"dtype\": \"float32\"", "\"dtype\": \"float64\"");
    e = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(dtype, "m.json", null));
    assertTrue(e.getMessage().contains("dtype 'float64' is not supported"), e.getMessage());
    String units = KERAS2_LSTM.replace("\"units\": 4", "\"units\": \"four\"");
    e = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(units, "m.json", null));
    assertTrue(e.getMessage().contains("'units' must be an integer"), e.getMessage());
  }

  @Test
  void listsEveryUnsupportedLayer() {
    String json =
        """
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "Conv2D", "config": {"name": "conv"}},
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 3}},
          {"class_name": "Lambda", "config": {"name": "fn"}}]}}
        """;
    InvalidModelException e = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(json, "m.json", null));
    assertTrue(e.getMessage().contains("unsupported layers: Conv2D 'conv' (layer 0), Lambda 'fn' (layer 2): a Lambda layer holds Python code"),
        e.getMessage());
  }

  @Test
  void readsLinearFunctionalModelsInBothForms() {
    String keras2 =
        """
        {"class_name": "Functional", "config": {"name": "model", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, null], "dtype": "int32", "name": "ids"}, "name": "ids", "inbound_nodes": []},
          {"class_name": "Dense", "config": {"name": "head", "units": 2}, "name": "head", "inbound_nodes": [[["lstm", 0, 0, {}]]]},
          {"class_name": "Embedding", "config": {"name": "emb", "input_dim": 10, "output_dim": 3, "mask_zero": true}, "name": "emb", "inbound_nodes": [[["ids", 0, 0, {}]]]},
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 4}, "name": "lstm", "inbound_nodes": [[["emb", 0, 0, {}]]]}],
          "input_layers": [["ids", 0, 0]], "output_layers": [["head", 0, 0]]}}
        """;
    Functional arch = (Functional) KerasConfigReader.parse(keras2, "f.json", null).architecture();
    assertTrue(arch.input().integerIds());
    assertEquals(List.of("head", "emb", "lstm"), List.of(arch.layerName(0), arch.layerName(1), arch.layerName(2)));
    assertTrue(arch.layer(1) instanceof Embedding e && e.maskZero());
    assertEquals(List.of(1, 2, 0), arch.nodes().stream().map(Functional.Node::layer).toList(), "calls ordered by their inputs");
    String keras3 =
        """
        {"module": "keras", "class_name": "Functional", "config": {"name": "f", "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 5, 2], "dtype": "float32", "name": "in"}, "name": "in", "inbound_nodes": []},
          {"module": "keras.layers", "class_name": "SimpleRNN", "config": {"name": "rnn", "units": 3}, "name": "rnn",
            "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 5, 2], "dtype": "float32", "keras_history": ["in", 0, 0]}}], "kwargs": {"training": false, "mask": null}}]}],
          "input_layers": ["in", 0, 0], "output_layers": ["rnn", 0, 0]}}
        """;
    assertArrayEquals(new int[] {5, 2}, KerasConfigReader.parse(keras3, "f3.json", null).architecture().input().shape());
  }

  @Test
  void readsTheLayersAroundRecurrentLayers() {
    String json =
        """
        {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 12, 2], "dtype": "float32", "name": "in"}},
          {"module": "keras.layers", "class_name": "Conv1D", "config": {"name": "c", "filters": 4, "kernel_size": [3], "strides": [1],
            "padding": "causal", "dilation_rate": [2], "groups": 2, "activation": "relu", "use_bias": true, "data_format": "channels_last"}},
          {"module": "keras.layers", "class_name": "LeakyReLU", "config": {"name": "lr", "negative_slope": 0.1}},
          {"module": "keras.layers", "class_name": "MaxPooling1D", "config": {"name": "mp", "pool_size": [2], "strides": null, "padding": "valid"}},
          {"module": "keras.layers", "class_name": "BatchNormalization", "config": {"name": "bn", "axis": -1, "epsilon": 0.001, "momentum": 0.99}},
          {"module": "keras.layers", "class_name": "PReLU", "config": {"name": "pr", "shared_axes": [1]}},
          {"module": "keras.layers", "class_name": "ZeroPadding1D", "config": {"name": "zp", "padding": [1, 2]}},
          {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "units": 3, "return_sequences": true}},
          {"module": "keras.layers", "class_name": "Permute", "config": {"name": "p", "dims": [2, 1]}},
          {"module": "keras.layers", "class_name": "Reshape", "config": {"name": "r", "target_shape": [-1]}},
          {"module": "keras.layers", "class_name": "Dense", "config": {"name": "out", "units": 2, "activation": "log_softmax"}},
          {"module": "keras.layers", "class_name": "Normalization", "config": {"name": "n", "axis": -1, "mean": [1.0, 2.0], "variance": 4.0, "invert": true}}]}}
        """;
    Architecture arch = KerasConfigReader.parse(json, "around.json", null).architecture();
    assertEquals("Conv1D(4, 3, strides=1, padding=causal, dilation_rate=2, groups=2, activation=relu)", arch.layer(0).toString());
    assertEquals("LeakyReLU(negative_slope=0.1)", arch.layer(1).toString());
    assertArrayEquals(new int[] {6, 4}, arch.outputShape(2));
    assertEquals(List.of("bn/gamma(4,)", "bn/beta(4,)", "bn/moving_mean(4,)", "bn/moving_variance(4,)"),
        arch.weightSpecs().subList(2, 6).stream().map(Object::toString).toList());
    assertEquals("pr/alpha(1, 4)", arch.weightSpecs().get(6).toString());
    assertArrayEquals(new int[] {9, 4}, arch.outputShape(5));
    assertArrayEquals(new int[] {3, 9}, arch.outputShape(7));
    assertArrayEquals(new int[] {27}, arch.outputShape(8));
    assertArrayEquals(new int[] {2}, arch.outputShape());
    assertEquals("Normalization(mean and variance given, invert)", arch.layer(10).toString());
    assertEquals(0, arch.weightCount(10));
  }

  @Test
  void readsSeparableConv1DWithItsWeightLayout() {
    String json =
        """
        {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
          {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 12, 3], "dtype": "float32", "name": "in"}},
          {"module": "keras.layers", "class_name": "SeparableConv1D", "config": {"name": "sep", "trainable": true, "dtype": "float32",
            "filters": 5, "kernel_size": [3], "strides": [2], "padding": "same", "data_format": "channels_last", "dilation_rate": [1],
            "depth_multiplier": 2, "activation": "relu", "use_bias": true,
            "depthwise_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}},
            "pointwise_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}},
            "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}},
            "depthwise_regularizer": null, "pointwise_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
            "depthwise_constraint": null, "pointwise_constraint": null, "bias_constraint": null}},
          {"module": "keras.layers", "class_name": "Identity", "config": {"name": "id", "trainable": true, "dtype": "float32"}},
          {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "units": 3}}]}}
        """;
    Architecture arch = KerasConfigReader.parse(json, "sep.json", null).architecture();
    assertEquals("SeparableConv1D(5, 3, strides=2, padding=same, dilation_rate=1, depth_multiplier=2, activation=relu)", arch.layer(0).toString());
    assertArrayEquals(new int[] {6, 5}, arch.outputShape(0));
    assertArrayEquals(new int[] {6, 5}, arch.outputShape(1)); // keras.layers.Identity
    assertEquals(List.of("sep/depthwise_kernel(3, 3, 2)", "sep/pointwise_kernel(1, 6, 5)", "sep/bias(5,)"),
        arch.weightSpecs().subList(0, 3).stream().map(Object::toString).toList());
    String badPadding = json.replace("\"padding\": \"same\"", "\"padding\": \"full\"");
    InvalidModelException e = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(badPadding, "sep.json", null));
    assertTrue(e.getMessage().contains("'sep'") && e.getMessage().contains("padding 'full'"), e.getMessage());
  }

  @Test
  void readsTheCnnLstmPatternOfTimeDistributedLayers() {
    String layers =
        """
          {"class_name": "TimeDistributed", "config": {"name": "td_conv", "batch_input_shape": [null, null, 6, 2],
            "layer": {"class_name": "Conv1D", "config": {"name": "conv", "filters": 4, "kernel_size": [3], "activation": "relu"}}}},
          {"class_name": "TimeDistributed", "config": {"name": "td_pool", "layer": {"class_name": "MaxPooling1D", "config": {"name": "p", "pool_size": [2]}}}},
          {"class_name": "TimeDistributed", "config": {"name": "td_flat", "layer": {"class_name": "Flatten", "config": {"name": "f"}}}},
          {"class_name": "LSTM", "config": {"name": "lstm", "units": 5}}""";
    String head = "{\"class_name\": \"Sequential\", \"keras_version\": \"2.4.0\", \"config\": {\"name\": \"s\", \"layers\": [";
    Architecture arch = KerasConfigReader.parse(head + layers + "]}}", "cnn.json", null).architecture();
    assertArrayEquals(new int[] {-1, 4, 4}, arch.outputShape(0));
    assertArrayEquals(new int[] {-1, 2, 4}, arch.outputShape(1));
    assertArrayEquals(new int[] {-1, 8}, arch.outputShape(2));
    assertEquals("td_conv/kernel(3, 2, 4)", arch.weightSpecs().get(0).toString());
    String recurrent = ", {\"class_name\": \"TimeDistributed\", \"config\": {\"name\": \"td_lstm\", \"layer\": {\"class_name\": \"LSTM\","
        + " \"config\": {\"name\": \"l\", \"units\": 5}}}}";
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> KerasConfigReader.parse(head + layers + recurrent + "]}}", "cnn.json", null));
    assertTrue(e.getMessage().contains("layer 4 (TimeDistributed 'td_lstm')") && e.getMessage().contains("TimeDistributed of LSTM is not supported"),
        e.getMessage());
  }

  @Test
  void refusesMalformedAndOversizedJson() {
    FileFormatException e = assertThrows(FileFormatException.class, () -> KerasConfigReader.parse("{\"class_name\": ", "x.json", null));
    assertTrue(e.getMessage().startsWith("x.json: not valid JSON"), e.getMessage());
    String deep = "[".repeat(200) + "]".repeat(200);
    assertThrows(ResourceLimitException.class, () -> KerasConfigReader.parse(deep, "deep.json", null));
    InvalidModelException m = assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse("[1, 2]", "a.json", null));
    assertTrue(m.getMessage().contains("must be a JSON object"), m.getMessage());
    assertFalse(KerasConfigReader.parse(KERAS2_LSTM, "x", KerasVersion.parse("3.1.0")).layers().isEmpty());
  }
}

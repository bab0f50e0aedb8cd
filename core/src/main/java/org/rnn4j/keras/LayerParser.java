package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.rnn4j.InvalidModelException;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.RandomUniform;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.SeparableConv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RNNCell;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.SimpleRNNCell;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.layers.TimeDistributed;

/**
 * Turns one serialized Keras layer ({@code {"class_name": ..., "config": {...}}}) into an rnn4j
 * layer, in the Keras 1, 2 or 3 form. Every argument is either implemented, known to be
 * irrelevant at inference (dropout, regularizers, constraints, names), or refused by name.
 */
final class LayerParser {
  /** Arguments of any layer that do not affect inference. */
  private static final String[] IGNORED_EVERYWHERE = {"trainable", "activity_regularizer", "batch_size", "input_dtype"};

  private static final String[] IGNORED_RECURRENT = {
    "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
    "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "implementation",
    "seed",
    // Keras 1 names of the same
    "W_regularizer", "U_regularizer", "b_regularizer", "dropout_W", "dropout_U", "consume_less",
    "forget_bias_init"
  };

  private final KerasVersion version;
  private final java.util.Set<String> frozen = new java.util.LinkedHashSet<>();
  private final List<String> random = new ArrayList<>();
  private final List<String> notReproduced = new ArrayList<>();

  /** A layer, or the input an InputLayer (or a first layer's batch shape) declares. */
  record Parsed(Layer layer, int[] batchInputShape, boolean integerInput) {}

  LayerParser(KerasVersion version) {
    this.version = version;
  }

  static String className(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new InvalidModelException(where + ": a layer must be a JSON object");
    }
    JsonNode c = node.get("class_name");
    if (c == null || !c.isTextual()) {
      throw new InvalidModelException(where + ": layer has no 'class_name'");
    }
    return c.textValue();
  }

  /** Whether rnn4j knows this layer class. */
  static boolean isSupported(String className) {
    return switch (className) {
      case "InputLayer", "LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "Dense",
          "TimeDistributed", "Embedding", "Masking", "Activation", "Flatten", "RepeatVector",
          "Conv1D", "Convolution1D", "SeparableConv1D", "SeparableConvolution1D", "MaxPooling1D", "MaxPool1D", "AveragePooling1D", "AvgPool1D",
          "GlobalMaxPooling1D", "GlobalMaxPool1D", "GlobalAveragePooling1D", "GlobalAvgPool1D",
          "BatchNormalization", "LayerNormalization", "Normalization", "Softmax", "ReLU", "ELU",
          "Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot",
          "Sequential", "Functional", "Model", "Attention", "AdditiveAttention", "MultiHeadAttention", "CuDNNLSTM", "CuDNNGRU", "LeakyReLU", "PReLU", "ThresholdedReLU", "Reshape", "Permute", "Cropping1D", "ZeroPadding1D", "UpSampling1D" -> true;
      default -> InferenceIdentity.CLASSES.contains(className);
    };
  }

  /** Why a layer class is not supported, when there is more to say than its name (else empty). */
  static String whyUnsupported(String className) {
    return switch (className) {
      case "Lambda" -> ": a Lambda layer holds Python code, which cannot run outside Python";
      case "TFOpLambda", "SlicingOpLambda" -> ": a tf.keras operation node outside the supported comparisons, arithmetic and casts";
      default -> "";
    };
  }

  Parsed parse(JsonNode node, String where) {
    String cls = className(node, where);
    ConfigNode c = new ConfigNode(node.get("config"), where + " (" + cls + " '" + nameOf(node) + "')");
    String name = c.string("name", null);
    int[] declared = declaredInput(c);
    boolean integer = !checkDtype(c, cls);
    c.ignore(IGNORED_EVERYWHERE);
    Layer layer;
    try {
      layer = layer(cls, c, name, where);
    } catch (InvalidModelException e) {
      // a layer's own checks name no place: say which layer of which file
      throw e.getMessage().startsWith(c.where()) || e.getMessage().startsWith(where) ? e : c.error(e.getMessage());
    }
    if (layer instanceof RNN r && r.name() == null && name != null) {
      layer = r.toBuilder().name(name).build();
    }
    c.finish();
    noteTrainingSettings(c.node(), name == null ? nameOf(node) : name, true);
    return new Parsed(layer, declared, integer);
  }

  /** The training settings of the layers parsed so far. */
  org.rnn4j.training.TrainingSettings trainingSettings() {
    return new org.rnn4j.training.TrainingSettings(frozen, random, notReproduced);
  }

  private static final java.util.Set<String> RANDOM_KEYS = java.util.Set.of("dropout", "recurrent_dropout", "rate", "stddev",
      "dropout_W", "dropout_U", "p");
  private static final java.util.Set<String> NESTED_KEYS = java.util.Set.of("layer", "backward_layer", "cell", "cells", "layers");

  /**
   * Records what layer {@code name}'s config (and the configs nested in it: a wrapped layer, a
   * cell) says about training: {@code trainable: false}, dropout rates and noise, regularizers and
   * constraints.
   */
  private void noteTrainingSettings(JsonNode config, String name, boolean top) {
    if (config == null || !config.isObject()) {
      return;
    }
    config.fields().forEachRemaining(e -> {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (k.equals("trainable") && v.isBoolean() && !v.booleanValue()) {
        if (top) {
          frozen.add(name);
        } else {
          notReproduced.add("layer '" + name + "': a part of it is frozen (trainable false)");
        }
      } else if (RANDOM_KEYS.contains(k) && v.isNumber() && v.doubleValue() > 0) {
        random.add("layer '" + name + "': " + k + " " + v.asText());
      } else if ((k.endsWith("_regularizer") || k.endsWith("_constraint")) && !v.isNull()) {
        String what = v.isObject() && v.has("class_name") ? v.get("class_name").asText() : v.asText();
        notReproduced.add("layer '" + name + "': " + k + " " + what);
      } else if (NESTED_KEYS.contains(k)) {
        // a wrapped layer, a cell, a stack's cells, a nested model's layers (not initializers: their stddev is no noise)
        for (JsonNode inner : v.isArray() ? v : List.of(v)) {
          noteTrainingSettings(inner.get("config"), name, false);
        }
      }
    });
  }

  private Layer layer(String cls, ConfigNode c, String name, String where) {
    return
        switch (cls) {
          case "InputLayer" -> {
            c.ignore("sparse", "ragged", "input_tensor", "optional");
            yield null;
          }
          case "LSTM", "GRU", "SimpleRNN" -> recurrentLayer(cls, c, singleCell(cls, c, null));
          case "CuDNNLSTM", "CuDNNGRU" -> recurrentLayer(cls, c, cudnnCell(cls, c));
          case "Attention", "AdditiveAttention" -> attention(cls, c, name);
          case "Sequential", "Functional", "Model" -> nested(cls, c, name);
          case "MultiHeadAttention" -> multiHeadAttention(c, name);
          case "RNN" -> recurrentLayer("RNN", c, cell(c.raw("cell"), c.where() + " cell"));
          case "Bidirectional" -> bidirectional(c, name);
          case "Dense" -> dense(c, name);
          case "TimeDistributed" -> timeDistributed(c, name);
          case "Embedding" -> embedding(c, name);
          case "Masking" -> Masking.of((float) c.number("mask_value", 0.0), name);
          case "Activation" -> ActivationLayer.of(activation(c, "activation", Activation.LINEAR), name);
          case "Flatten" -> {
            String format = c.string("data_format", "channels_last");
            if (!format.equals("channels_last")) {
              throw c.error("data_format=" + format + " is not supported");
            }
            yield Flatten.of(name);
          }
          case "RepeatVector" -> RepeatVector.of(c.positiveInt("n"), name);
          case "Conv1D", "Convolution1D" -> conv1d(c, name);
          case "SeparableConv1D", "SeparableConvolution1D" -> separableConv1d(c, name);
          case "MaxPooling1D", "MaxPool1D" -> pooling(Pooling.Kind.MAX, c, name);
          case "AveragePooling1D", "AvgPool1D" -> pooling(Pooling.Kind.AVERAGE, c, name);
          case "GlobalMaxPooling1D", "GlobalMaxPool1D" -> globalPooling(Pooling.Kind.MAX, c, name);
          case "GlobalAveragePooling1D", "GlobalAvgPool1D" -> globalPooling(Pooling.Kind.AVERAGE, c, name);
          case "BatchNormalization" -> normalization(Normalization.Kind.BATCH, c, name);
          case "LayerNormalization" -> normalization(Normalization.Kind.LAYER, c, name);
          case "Normalization" -> standardization(c, name);
          case "Softmax" -> {
            int axis = c.integer("axis", -1);
            if (axis != -1) {
              throw c.error("Softmax over axis " + axis + " is not supported (only the last axis, -1)");
            }
            yield ActivationLayer.of(Activation.SOFTMAX, name);
          }
          case "ReLU" -> relu(c, name);
          case "Concatenate" -> masksOfVersion(Merge.concatenate(c.integer("axis", -1), name));
          case "Add" -> masksOfVersion(Merge.of(Merge.Kind.ADD, name));
          case "Subtract" -> masksOfVersion(Merge.of(Merge.Kind.SUBTRACT, name));
          case "Multiply" -> masksOfVersion(Merge.of(Merge.Kind.MULTIPLY, name));
          case "Average" -> masksOfVersion(Merge.of(Merge.Kind.AVERAGE, name));
          case "Maximum" -> masksOfVersion(Merge.of(Merge.Kind.MAXIMUM, name));
          case "Minimum" -> masksOfVersion(Merge.of(Merge.Kind.MINIMUM, name));
          case "Dot" -> masksOfVersion(dot(c, name));
          case "ELU" -> {
            double alpha = c.number("alpha", 1.0);
            yield alpha == 1.0 ? ActivationLayer.of(Activation.ELU, name) : Rectifier.elu(alpha, name);
          }
          case "LeakyReLU" -> {
            // Keras 3 names the slope negative_slope, Keras 2 alpha; both default to 0.3
            double slope = c.has("negative_slope") ? c.number("negative_slope", 0.3) : c.number("alpha", 0.3);
            yield Rectifier.leakyRelu(slope, name);
          }
          case "ThresholdedReLU" -> Rectifier.thresholdedRelu(c.number("theta", 1.0), name);
          case "PReLU" -> {
            c.ignore("alpha_regularizer", "alpha_constraint");
            JsonNode shared = c.raw("shared_axes");
            int[] axes = shared == null || shared.isNull() ? new int[0] : ints(c, "shared_axes", shared);
            yield Rectifier.prelu(axes, Initializers.parse(c, "alpha_initializer", Initializer.zeros()), name);
          }
          case "Reshape" -> {
            try {
              yield Rearrange.reshape(ints(c, "target_shape", c.raw("target_shape")), name);
            } catch (InvalidModelException e) {
              throw e.getMessage().startsWith(c.where()) ? e : c.error(e.getMessage());
            }
          }
          case "Permute" -> Rearrange.permute(ints(c, "dims", c.raw("dims")), name);
          case "Cropping1D" -> {
            int[] p = pair(c, "cropping", 1);
            yield Rearrange.cropping1d(p[0], p[1], name);
          }
          case "ZeroPadding1D" -> {
            int[] p = pair(c, "padding", 1);
            yield Rearrange.zeroPadding1d(p[0], p[1], name);
          }
          case "UpSampling1D" -> Rearrange.upSampling1d(oneInt(c, "size", 2), name);
          default -> {
            if (!InferenceIdentity.CLASSES.contains(cls)) {
              throw new InvalidModelException(where + ": unknown layer class '" + cls + "'");
            }
            c.ignore("rate", "noise_shape", "seed", "stddev", "l1", "l2", "p");
            yield InferenceIdentity.of(cls, name);
          }
        };
  }

  private static String nameOf(JsonNode node) {
    JsonNode config = node.get("config");
    JsonNode n = config != null && config.isObject() ? config.get("name") : null;
    if (n == null || !n.isTextual()) {
      n = node.get("name");
    }
    return n != null && n.isTextual() ? n.textValue() : "?";
  }

  /** The batch input shape a layer declares (first layers, InputLayer), or null. */
  private static int[] declaredInput(ConfigNode c) {
    int[] batchShape = c.shape("batch_input_shape");
    int[] keras3 = c.shape("batch_shape");
    if (keras3 != null) {
      batchShape = keras3;
    }
    int[] inputShape = c.shape("input_shape");
    if (batchShape == null && inputShape != null) {
      batchShape = prepend(-1, inputShape);
    }
    // Keras 1 repeats the input size as input_dim/input_length beside batch_input_shape; an
    // Embedding's input_dim (its vocabulary) is read by the layer itself.
    c.ignore("input_length", "input_dim");
    return batchShape;
  }

  private static int[] prepend(int first, int[] rest) {
    int[] s = new int[rest.length + 1];
    s[0] = first;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }

  /** Checks the layer's dtype; returns false for an integer input declaration. */
  private static boolean checkDtype(ConfigNode c, String cls) {
    JsonNode d = c.raw("dtype");
    String dtype = null;
    if (d != null && d.isTextual()) {
      dtype = d.textValue();
    } else if (d != null && d.isObject()) {
      JsonNode inner = d.path("config").path("name");
      dtype = inner.isTextual() ? inner.textValue() : null;
    }
    if (dtype == null || dtype.equals("float32")) {
      return true;
    }
    if (cls.equals("InputLayer") && dtype.matches("u?int(8|16|32|64)")) {
      return false;
    }
    if (cls.equals("InputLayer") && dtype.equals("bool")) {
      return true; // a mask input, such as MultiHeadAttention's attention_mask: 0 and 1 as float32
    }
    throw c.error("dtype '" + dtype + "' is not supported (rnn4j computes in float32)");
  }

  private boolean keras1(ConfigNode c) {
    return version.major() == 1 || (c.has("output_dim") && !c.has("units"));
  }

  private Activation activation(ConfigNode c, String key, Activation defaultValue) {
    JsonNode v = c.raw(key);
    String name;
    if (v == null || v.isNull()) {
      return defaultValue;
    } else if (v.isTextual()) {
      name = v.textValue();
    } else if (v.isObject() && v.path("config").isTextual()) {
      name = v.get("config").textValue();
    } else {
      throw c.error("argument '" + key + "' must name an activation, got " + v);
    }
    try {
      return Activation.fromKeras(name, version.major());
    } catch (InvalidModelException e) {
      throw c.error(e.getMessage());
    }
  }

  /**
   * Whether the config comes from a Keras older than 2.3, whose defaults differ (recurrent
   * activation hard_sigmoid, GRU reset_after false). A config of unknown minor version gets the
   * current defaults.
   */
  private boolean beforeKeras23() {
    return version.major() == 1 || (version.major() == 2 && version.minor() >= 0 && version.minor() < 3);
  }

  private Activation defaultRecurrentActivation() {
    return beforeKeras23() ? Activation.HARD_SIGMOID : Activation.SIGMOID;
  }

  /** LSTM/GRU/SimpleRNN cell arguments, from a layer's or a cell's config. */
  private SingleCell singleCell(String kind, ConfigNode c, String cellName) {
    boolean k1 = keras1(c);
    int units = c.positiveInt(k1 ? "output_dim" : "units");
    Activation act = activation(c, "activation", Activation.TANH);
    Initializer kernel = Initializers.parse(c, k1 ? "init" : "kernel_initializer", Initializer.glorotUniform());
    Initializer recurrent =
        Initializers.parse(c, k1 ? "inner_init" : "recurrent_initializer", Initializer.orthogonal());
    Initializer bias = Initializers.parse(c, "bias_initializer", Initializer.zeros());
    boolean useBias = c.bool("use_bias", true);
    c.ignore(IGNORED_RECURRENT);
    SingleCell.Builder<?> b =
        switch (kind) {
          case "LSTM", "LSTMCell" ->
              LSTMCell.builder(units)
                  .recurrentActivation(activation(c, k1 ? "inner_activation" : "recurrent_activation", defaultRecurrentActivation()))
                  .unitForgetBias(c.bool("unit_forget_bias", true));
          case "GRU", "GRUCell" ->
              GRUCell.builder(units)
                  .recurrentActivation(activation(c, k1 ? "inner_activation" : "recurrent_activation", defaultRecurrentActivation()))
                  .resetAfter(c.bool("reset_after", !beforeKeras23()));
          case "SimpleRNN", "SimpleRNNCell" -> SimpleRNNCell.builder(units);
          default -> throw c.error("unknown cell class '" + kind + "'");
        };
    return b.activation(act).useBias(useBias).kernelInitializer(kernel).recurrentInitializer(recurrent)
        .biasInitializer(bias).name(cellName).build();
  }

  /**
   * Keras 2's CuDNNLSTM and CuDNNGRU compute an LSTM (tanh, sigmoid) and a GRU with
   * reset_after=True (tanh, sigmoid); their saved weights are converted when they are read
   * ({@link CuDnnWeights}).
   */
  private SingleCell cudnnCell(String cls, ConfigNode c) {
    int units = c.positiveInt("units");
    Initializer kernel = Initializers.parse(c, "kernel_initializer", Initializer.glorotUniform());
    Initializer recurrent = Initializers.parse(c, "recurrent_initializer", Initializer.orthogonal());
    Initializer bias = Initializers.parse(c, "bias_initializer", Initializer.zeros());
    c.ignore("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
        "bias_constraint");
    SingleCell.Builder<?> b = cls.equals("CuDNNLSTM")
        ? LSTMCell.builder(units).recurrentActivation(Activation.SIGMOID).unitForgetBias(c.bool("unit_forget_bias", true))
        : GRUCell.builder(units).recurrentActivation(Activation.SIGMOID).resetAfter(true);
    return b.activation(Activation.TANH).useBias(true).kernelInitializer(kernel).recurrentInitializer(recurrent).biasInitializer(bias).build();
  }

  private org.rnn4j.layers.Attention attention(String cls, ConfigNode c, String name) {
    c.ignore("dropout", "seed");
    org.rnn4j.layers.Attention.Kind kind = org.rnn4j.layers.Attention.Kind.ADDITIVE;
    if (cls.equals("Attention")) {
      String mode = c.string("score_mode", "dot");
      kind = switch (mode) {
        case "dot" -> org.rnn4j.layers.Attention.Kind.DOT;
        case "concat" -> org.rnn4j.layers.Attention.Kind.CONCAT;
        default -> throw c.error("score_mode '" + mode + "' is not one of dot, concat");
      };
    }
    return org.rnn4j.layers.Attention.of(kind, c.bool("use_scale", !cls.equals("Attention")), c.bool("causal", false), name);
  }

  /** A model used as a layer: read as a model of its own (it must declare its input). */
  private org.rnn4j.layers.NestedModel nested(String cls, ConfigNode c, String name) {
    JsonNode node = c.node();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      c.ignore(it.next());
    }
    com.fasterxml.jackson.databind.node.ObjectNode wrapped = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    wrapped.put("class_name", cls);
    wrapped.set("config", node);
    try {
      return org.rnn4j.layers.NestedModel.of(KerasConfigReader.parse(wrapped, c.where(), version).architecture(), name);
    } catch (InvalidModelException e) {
      throw e.getMessage().startsWith(c.where()) ? e : c.error(e.getMessage());
    }
  }

  private org.rnn4j.layers.MultiHeadAttention multiHeadAttention(ConfigNode c, String name) {
    JsonNode axes = c.raw("attention_axes");
    if (axes != null && !axes.isNull() && !(axes.isArray() && axes.size() == 1 && axes.get(0).asInt() == 1)) {
      throw c.error("attention_axes=" + axes + " is not supported (attention over the time axis only)");
    }
    JsonNode out = c.raw("output_shape");
    int outputDim = -1;
    if (out != null && !out.isNull()) {
      JsonNode n = out.isArray() && out.size() == 1 ? out.get(0) : out;
      if (!n.isIntegralNumber() || n.asInt() <= 0) {
        throw c.error("output_shape=" + out + " is not supported (one positive size)");
      }
      outputDim = n.asInt();
    }
    int keyDim = c.positiveInt("key_dim");
    JsonNode valueDim = c.raw("value_dim");
    c.ignore("dropout", "seed", "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "flash_attention",
        "query_shape", "key_shape", "value_shape");
    return org.rnn4j.layers.MultiHeadAttention.of(c.positiveInt("num_heads"), keyDim,
        valueDim == null || valueDim.isNull() ? keyDim : c.positiveInt("value_dim"), c.bool("use_bias", true), outputDim,
        Initializers.parse(c, "kernel_initializer", Initializer.glorotUniform()),
        Initializers.parse(c, "bias_initializer", Initializer.zeros()), name);
  }

  private RNNCell cell(JsonNode node, String where) {
    if (node != null && node.isArray()) {
      return stack(node, null, where);
    }
    String cls = className(node, where);
    ConfigNode c = new ConfigNode(node.get("config"), where + " (" + cls + ")");
    String name = c.string("name", null);
    checkDtype(c, cls);
    c.ignore(IGNORED_EVERYWHERE);
    RNNCell cell =
        switch (cls) {
          case "LSTMCell", "GRUCell", "SimpleRNNCell" -> singleCell(cls, c, name);
          case "StackedRNNCells" -> stack(c.raw("cells"), name, c.where());
          default -> throw new InvalidModelException(where + ": unsupported cell class '" + cls + "'");
        };
    c.finish();
    return cell;
  }

  private RNNCell stack(JsonNode cells, String name, String where) {
    if (cells == null || !cells.isArray() || cells.isEmpty()) {
      throw new InvalidModelException(where + ": StackedRNNCells needs a non-empty 'cells' list");
    }
    List<SingleCell> list = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      RNNCell cell = cell(cells.get(i), where + " cell " + i);
      if (!(cell instanceof SingleCell single)) {
        throw new InvalidModelException(where + ": nested StackedRNNCells are not supported");
      }
      list.add(single);
    }
    return StackedRNNCells.of(list, name);
  }

  private RNN recurrentLayer(String cls, ConfigNode c, RNNCell cell) {
    c.requireDefault("time_major", false);
    c.ignore("unroll", "use_cudnn");
    return RNN.builder(cell)
        .kerasClassName(cls)
        .returnSequences(c.bool("return_sequences", false))
        .returnState(c.bool("return_state", false))
        .goBackwards(c.bool("go_backwards", false))
        .stateful(c.bool("stateful", false))
        .zeroOutputForMask(c.bool("zero_output_for_mask", false))
        .build();
  }

  private Bidirectional bidirectional(ConfigNode c, String name) {
    JsonNode mode = c.raw("merge_mode");
    if (mode != null && !mode.isNull() && !mode.isTextual()) {
      throw c.error("argument 'merge_mode' must be a string or null, got " + mode);
    }
    MergeMode merge;
    try {
      merge = mode == null ? MergeMode.CONCAT : MergeMode.fromKeras(mode.isNull() ? null : mode.textValue());
    } catch (InvalidModelException e) {
      throw c.error(e.getMessage());
    }
    JsonNode weights = c.raw("weights");
    if (weights != null && !weights.isNull()) {
      throw c.error("argument 'weights' (initial weights in the config) is not supported");
    }
    RNN forward = innerRecurrent(c.raw("layer"), c.where() + " layer");
    JsonNode backwardNode = c.raw("backward_layer");
    if (backwardNode == null || backwardNode.isNull()) {
      return Bidirectional.of(forward, forward.toBuilder().goBackwards(true).build(), merge, name);
    }
    RNN backward = innerRecurrent(backwardNode, c.where() + " backward_layer");
    return Bidirectional.of(forward, backward, merge, name);
  }

  private RNN innerRecurrent(JsonNode node, String where) {
    Parsed p = parse(node, where);
    if (!(p.layer() instanceof RNN r)) {
      throw new InvalidModelException(where + ": Bidirectional needs a recurrent layer, got " + className(node, where));
    }
    return r;
  }

  private Dense dense(ConfigNode c, String name) {
    boolean k1 = keras1(c);
    JsonNode lora = c.raw("lora_rank");
    if (lora != null && !lora.isNull()) {
      throw c.error("argument lora_rank=" + lora + " is not supported");
    }
    c.ignore("kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "W_regularizer",
        "b_regularizer", "W_constraint", "b_constraint", "lora_alpha", "quantization_config");
    return Dense.builder(c.positiveInt(k1 ? "output_dim" : "units"))
        .activation(activation(c, "activation", Activation.LINEAR))
        .useBias(c.bool(k1 ? "bias" : "use_bias", true))
        .kernelInitializer(Initializers.parse(c, k1 ? "init" : "kernel_initializer", Initializer.glorotUniform()))
        .biasInitializer(Initializers.parse(c, "bias_initializer", Initializer.zeros()))
        .name(name)
        .build();
  }

  private TimeDistributed timeDistributed(ConfigNode c, String name) {
    JsonNode inner = c.raw("layer");
    Parsed p = parse(inner, c.where() + " layer");
    if (p.layer() == null || !TimeDistributed.steppable(p.layer())) {
      throw c.error("TimeDistributed of " + className(inner, c.where() + " layer") + " is not supported (it takes Dense, Conv1D, pooling,"
          + " Flatten, Reshape, activation, normalization and dropout-like layers)");
    }
    return TimeDistributed.of(p.layer(), name);
  }


  private Embedding embedding(ConfigNode c, String name) {
    int inputDim = c.positiveInt("input_dim");
    int outputDim = c.positiveInt("output_dim");
    c.requireDefault("sparse", false);
    JsonNode lora = c.raw("lora_rank");
    if (lora != null && !lora.isNull()) {
      throw c.error("argument lora_rank=" + lora + " is not supported");
    }
    c.ignore("embeddings_regularizer", "embeddings_constraint", "input_length", "W_regularizer", "W_constraint",
        "dropout", "lora_alpha", "quantization_config");
    Initializer init =
        Initializers.parse(c, c.has("init") ? "init" : "embeddings_initializer", new RandomUniform(-0.05, 0.05));
    return Embedding.of(inputDim, outputDim, c.bool("mask_zero", false), init, name);
  }

  private Conv1D conv1d(ConfigNode c, String name) {
    channelsLast(c);
    JsonNode lora = c.raw("lora_rank");
    if (lora != null && !lora.isNull()) {
      throw c.error("argument lora_rank=" + lora + " is not supported");
    }
    c.ignore("kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "lora_alpha");
    Conv1D.Padding mode = convPadding(c);
    Conv1D.Builder b = Conv1D.builder(c.positiveInt("filters"), oneInt(c, "kernel_size", -1))
        .strides(oneInt(c, "strides", 1))
        .padding(mode)
        .dilation(oneInt(c, "dilation_rate", 1))
        .groups(c.has("groups") ? c.positiveInt("groups") : 1)
        .activation(activation(c, "activation", Activation.LINEAR))
        .useBias(c.bool("use_bias", true))
        .kernelInitializer(Initializers.parse(c, "kernel_initializer", Initializer.glorotUniform()))
        .biasInitializer(Initializers.parse(c, "bias_initializer", Initializer.zeros()))
        .name(name);
    try {
      return b.build();
    } catch (InvalidModelException e) {
      throw c.error(e.getMessage());
    }
  }

  /** A 1-D convolution's {@code padding}: valid, same or causal. */
  private static Conv1D.Padding convPadding(ConfigNode c) {
    String padding = c.string("padding", "valid");
    return switch (lower(padding)) {
      case "valid" -> Conv1D.Padding.VALID;
      case "same" -> Conv1D.Padding.SAME;
      case "causal" -> Conv1D.Padding.CAUSAL;
      default -> throw c.error("padding '" + padding + "' is not one of valid, same, causal");
    };
  }

  private SeparableConv1D separableConv1d(ConfigNode c, String name) {
    channelsLast(c);
    c.ignore("depthwise_regularizer", "pointwise_regularizer", "bias_regularizer", "depthwise_constraint", "pointwise_constraint",
        "bias_constraint", "kernel_regularizer", "kernel_constraint");
    Conv1D.Padding mode = convPadding(c);
    try {
      Conv1D spatial = Conv1D.builder(1, oneInt(c, "kernel_size", -1)).strides(oneInt(c, "strides", 1)).padding(mode)
          .dilation(oneInt(c, "dilation_rate", 1)).build();
      return SeparableConv1D.of(c.positiveInt("filters"), c.has("depth_multiplier") ? c.positiveInt("depth_multiplier") : 1, spatial,
          activation(c, "activation", Activation.LINEAR), c.bool("use_bias", true),
          Initializers.parse(c, "depthwise_initializer", Initializer.glorotUniform()),
          Initializers.parse(c, "pointwise_initializer", Initializer.glorotUniform()),
          Initializers.parse(c, "bias_initializer", Initializer.zeros()), name);
    } catch (InvalidModelException e) {
      throw c.error(e.getMessage().replace("Conv1D:", "SeparableConv1D:"));
    }
  }

  private Pooling pooling(Pooling.Kind kind, ConfigNode c, String name) {
    channelsLast(c);
    int pool = oneInt(c, "pool_size", 2);
    JsonNode strides = c.raw("strides");
    int stride = strides == null || strides.isNull() ? pool : oneInt(c, "strides", pool);
    String padding = lower(c.string("padding", "valid"));
    if (!padding.equals("valid") && !padding.equals("same")) {
      throw c.error("padding '" + padding + "' is not one of valid, same");
    }
    return Pooling.of(kind, pool, stride, padding.equals("same"), name);
  }

  private GlobalPooling globalPooling(Pooling.Kind kind, ConfigNode c, String name) {
    channelsLast(c);
    return GlobalPooling.of(kind, c.bool("keepdims", false), name);
  }

  private Normalization normalization(Normalization.Kind kind, ConfigNode c, String name) {
    JsonNode axisNode = c.raw("axis");
    int axis = -1;
    if (axisNode != null && axisNode.isArray() && axisNode.size() == 1) {
      axis = axisNode.get(0).asInt();
    } else if (axisNode != null && axisNode.canConvertToInt()) {
      axis = axisNode.asInt();
    } else if (axisNode != null && !axisNode.isNull()) {
      throw c.error("normalizing over axes " + axisNode + " is not supported (only the last axis)");
    }
    c.requireDefault("rms_scaling", false);
    c.requireDefault("renorm", false);
    for (String unsupported : new String[] {"virtual_batch_size", "adjustment"}) {
      JsonNode v = c.raw(unsupported);
      if (v != null && !v.isNull()) {
        throw c.error("argument " + unsupported + "=" + v + " is not supported");
      }
    }
    c.ignore("momentum", "beta_initializer", "gamma_initializer", "moving_mean_initializer",
        "moving_variance_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint",
        "gamma_constraint", "renorm_clipping", "renorm_momentum", "fused", "synchronized");
    return Normalization.of(kind, axis, c.number("epsilon", 1e-3), c.bool("center", true), c.bool("scale", true), name);
  }

  /** A merge joining masks as the Keras version that wrote the config does. */
  private Merge masksOfVersion(Merge m) {
    return version.major() >= 3 ? m : m.withKeras2Masks();
  }

  private Merge dot(ConfigNode c, String name) {
    JsonNode axes = c.raw("axes");
    int a;
    int b;
    if (axes != null && axes.isIntegralNumber()) {
      a = b = axes.asInt();
    } else if (axes != null && axes.isArray() && axes.size() == 2 && axes.get(0).isIntegralNumber() && axes.get(1).isIntegralNumber()) {
      a = axes.get(0).asInt();
      b = axes.get(1).asInt();
    } else {
      throw c.error("Dot axes must be an integer or two integers, got " + axes);
    }
    return Merge.dot(a, b, c.bool("normalize", false), name);
  }

  private Layer relu(ConfigNode c, String name) {
    JsonNode max = c.raw("max_value");
    double slope = c.number("negative_slope", 0.0);
    double threshold = c.number("threshold", 0.0);
    boolean noMax = max == null || max.isNull();
    if (slope == 0 && threshold == 0 && (noMax || max.asDouble() == 6.0)) {
      return ActivationLayer.of(noMax ? Activation.RELU : Activation.RELU6, name);
    }
    if (!noMax && !max.isNumber()) {
      throw c.error("argument 'max_value' must be a number or null, got " + max);
    }
    try {
      return Rectifier.relu(noMax ? Double.POSITIVE_INFINITY : max.asDouble(), slope, threshold, name);
    } catch (InvalidModelException e) {
      throw c.error(e.getMessage());
    }
  }

  /** The preprocessing Normalization layer: statistics from the config, or adapted (weights). */
  private Normalization standardization(ConfigNode c, String name) {
    JsonNode axisNode = c.raw("axis");
    int axis = -1;
    if (axisNode != null && axisNode.isArray() && axisNode.size() == 1) {
      axis = axisNode.get(0).asInt();
    } else if (axisNode != null && axisNode.isIntegralNumber()) {
      axis = axisNode.asInt();
    } else if (axisNode != null && !axisNode.isNull()) {
      throw c.error("normalizing over axes " + axisNode + " is not supported (only the last axis)");
    }
    return Normalization.standardize(axis, floats(c, "mean"), floats(c, "variance"), c.bool("invert", false), name);
  }

  /** A number or a list of numbers, or null. */
  private static float[] floats(ConfigNode c, String key) {
    JsonNode v = c.raw(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return new float[] {v.floatValue()};
    }
    if (!v.isArray()) {
      throw c.error("argument '" + key + "' must be a number or a list of numbers, got " + v);
    }
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isNumber()) {
        throw c.error("argument '" + key + "' must be a list of numbers, got " + v);
      }
      out[i] = v.get(i).floatValue();
    }
    return out;
  }

  /** A list of integers. */
  private static int[] ints(ConfigNode c, String key, JsonNode v) {
    if (v == null || !v.isArray()) {
      throw c.error("argument '" + key + "' must be a list of integers, got " + v);
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isIntegralNumber()) {
        throw c.error("argument '" + key + "' must be a list of integers, got " + v);
      }
      out[i] = v.get(i).asInt();
    }
    return out;
  }

  /** An int for both sides, or a list of two (before, after). */
  private static int[] pair(ConfigNode c, String key, int defaultValue) {
    JsonNode v = c.raw(key);
    if (v == null || v.isNull()) {
      return new int[] {defaultValue, defaultValue};
    }
    if (v.isIntegralNumber()) {
      return new int[] {v.asInt(), v.asInt()};
    }
    int[] p = ints(c, key, v);
    if (p.length != 2) {
      throw c.error("argument '" + key + "' must be an integer or two, got " + v);
    }
    return p;
  }

  private static void channelsLast(ConfigNode c) {
    String format = c.string("data_format", "channels_last");
    if (!format.equals("channels_last")) {
      throw c.error("data_format=" + format + " is not supported (only channels_last)");
    }
  }

  /** An int given alone or as a one-element list ({@code kernel_size: [3]}), or the default (-1: required). */
  private static int oneInt(ConfigNode c, String key, int defaultValue) {
    JsonNode v = c.raw(key);
    if (v == null || v.isNull()) {
      if (defaultValue < 0) {
        throw c.error("argument '" + key + "' is required");
      }
      return defaultValue;
    }
    JsonNode n = v.isArray() && v.size() == 1 ? v.get(0) : v;
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
      throw c.error("argument '" + key + "' must be a positive integer (or a list of one), got " + v);
    }
    return n.asInt();
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}

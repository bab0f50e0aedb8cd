package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.InvalidModelException;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.Operation;

class FunctionalReaderTest {
  /** A Keras 2 layer entry: {@code inbound} is the JSON of its inbound_nodes list. */
  private static String layer(String cls, String name, String config, String inbound) {
    return "{\"class_name\": \"" + cls + "\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\""
        + (config.isEmpty() ? "" : ", " + config) + "}, \"inbound_nodes\": " + inbound + "}";
  }

  private static String input(String name, String shape) {
    return layer("InputLayer", name, "\"batch_input_shape\": " + shape + ", \"dtype\": \"float32\"", "[]");
  }

  private static String model(List<String> layers, String inputs, String outputs) {
    return "{\"class_name\": \"Functional\", \"keras_version\": \"2.15.0\", \"config\": {\"name\": \"m\", \"layers\": ["
        + String.join(", ", layers) + "], \"input_layers\": " + inputs + ", \"output_layers\": " + outputs + "}}";
  }

  private static String call(String... tensors) {
    List<String> t = new ArrayList<>();
    for (String s : tensors) {
      String[] p = s.split(":");
      t.add("[\"" + p[0] + "\", " + (p.length > 1 ? p[1] : "0") + ", " + (p.length > 2 ? p[2] : "0") + ", {}]");
    }
    return "[" + String.join(", ", t) + "]";
  }

  /** Two inputs, a shared Dense on each, concatenated; an LSTM whose states are outputs too. */
  private static final String TWO_INPUTS = model(List.of(
      input("a", "[null, 5, 3]"),
      input("b", "[null, 5, 3]"),
      layer("Dense", "shared", "\"units\": 4", "[" + call("a") + ", " + call("b") + "]"),
      layer("Concatenate", "cat", "\"axis\": -1", "[" + call("shared:0", "shared:1") + "]"),
      layer("LSTM", "lstm", "\"units\": 6, \"return_state\": true", "[" + call("cat") + "]"),
      layer("Add", "sum", "", "[" + call("lstm:0:1", "lstm:0:2") + "]")),
      "[[\"a\", 0, 0], [\"b\", 0, 0]]", "[[\"sum\", 0, 0], [\"lstm\", 0, 0], [\"shared\", 1, 0]]");

  @Test
  void readsAGraphWithSharedLayersMergesAndSeveralInputsAndOutputs() {
    Functional f = (Functional) KerasConfigReader.parse(TWO_INPUTS, "two.json", null).architecture();
    assertEquals(List.of("a", "b"), f.inputNames());
    assertEquals(5, f.nodes().size());
    assertTrue(f.isShared(0));
    assertEquals(List.of("shared/kernel(3, 4)", "shared/bias(4,)", "lstm/kernel(8, 24)", "lstm/recurrent_kernel(6, 24)", "lstm/bias(24,)"),
        f.weightSpecs().stream().map(Object::toString).toList());
    List<int[]> outs = f.outputShapes();
    assertArrayEquals(new int[] {6}, outs.get(0));
    assertArrayEquals(new int[] {6}, outs.get(1));
    assertArrayEquals(new int[] {5, 4}, outs.get(2));
    assertEquals(List.of(0, 0, 1, 2, 3), f.nodes().stream().map(Functional.Node::layer).toList());
    assertTrue(f.layer(1) instanceof Merge m && m.kind() == Merge.Kind.CONCATENATE);
  }

  private static InvalidModelException refused(String json) {
    return assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(json, "g.json", null).architecture());
  }

  private static void assertOneLine(InvalidModelException e, String... fragments) {
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().startsWith("g.json: "), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
    }
  }

  @Test
  void refusesBrokenGraphsNamingTheLayer() {
    assertOneLine(refused(TWO_INPUTS.replace("[\"shared\", 1, 0]]", "[\"shared\", 2, 0]]")),
        "call 2 of layer 'shared', which is called 2 times");
    assertOneLine(refused(TWO_INPUTS.replace("[\"shared\", 1, 0]]", "[\"nowhere\", 0, 0]]")), "'nowhere', which is not a layer of the model");
    assertOneLine(refused(TWO_INPUTS.replace("[\"lstm\", 0, 2, {}]", "[\"lstm\", 0, 3, {}]")),
        "layer 'sum' (Add): refers to output 3 of layer 'lstm' (LSTM), which has 3 outputs");
    assertOneLine(refused(TWO_INPUTS.replace("[\"cat\", 0, 0, {}]", "[\"ghost\", 0, 0, {}]")), "layer 'lstm' takes the output of 'ghost'");
    assertOneLine(refused(TWO_INPUTS.replace("\"name\": \"cat\"", "\"name\": \"sum\"").replace("\"cat\", 0, 0", "\"sum\", 0, 0")),
        "two layers are named 'sum'");
    // a cycle: the Dense takes the Add's output, which depends on the Dense
    assertOneLine(refused(TWO_INPUTS.replace(call("a") + ", " + call("b"), call("sum") + ", " + call("b"))), "is part of a cycle");
    // concatenating (5, 4) with (5, 3) on the time axis does not fit
    String badMerge = TWO_INPUTS.replace("\"axis\": -1", "\"axis\": 1").replace(call("shared:0", "shared:1"), call("shared:0", "a"));
    assertOneLine(refused(badMerge), "layer 'cat' (Concatenate): cannot merge inputs of shapes (5, 4), (5, 3) along axis 1");
    assertOneLine(refused(TWO_INPUTS.replace("[[\"a\", 0, 0], [\"b\", 0, 0]]", "[[\"b\", 0, 0], [\"a\", 0, 0]]")), "reordered inputs");
  }

  @Test
  void refusesLambdaAndUnknownOperationsByName() {
    String lambda = model(List.of(input("a", "[null, 5, 3]"), layer("Lambda", "fn", "\"function\": \"...\"", "[" + call("a") + "]")),
        "[[\"a\", 0, 0]]", "[[\"fn\", 0, 0]]");
    assertOneLine(refused(lambda), "Lambda 'fn' (layer 1): a Lambda layer holds Python code");
    String op = "{\"module\": \"keras.src.ops.numpy\", \"class_name\": \"Einsum\", \"name\": \"einsum\", \"config\": {\"name\": \"einsum\"},"
        + " \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"a\", 0, 0]}}], \"kwargs\": {}}]}";
    String einsum = model(List.of(input("a", "[null, 5, 3]"), op), "[[\"a\", 0, 0]]", "[[\"einsum\", 0, 0]]");
    assertOneLine(refused(einsum), "the operation Einsum (keras.src.ops.numpy) is not supported");
  }

  @Test
  void readsOperationNodesInBothForms() {
    String tfop = layer("TFOpLambda", "tf.math.not_equal", "\"function\": \"math.not_equal\"",
        "[[[\"ids\", 0, 0, {\"y\": 0, \"name\": null}]]]");
    String json = model(List.of(layer("InputLayer", "ids", "\"batch_input_shape\": [null, 7], \"dtype\": \"int32\"", "[]"), tfop),
        "[[\"ids\", 0, 0]]", "[[\"tf.math.not_equal\", 0, 0]]");
    Functional f = (Functional) KerasConfigReader.parse(json, "op.json", null).architecture();
    Operation op = (Operation) f.layer(0);
    assertEquals(Operation.Kind.NOT_EQUAL, op.kind());
    assertEquals(java.util.Arrays.asList(null, 0f), op.operands());
    assertTrue(f.input().integerIds());
  }

  @Test
  void readsAttentionCallsWithTheirOptionsInKeras3Form() {
    String tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"%s\", 0, 0]}}";
    String attention = "{\"module\": \"keras.layers\", \"class_name\": \"Attention\", \"name\": \"att\", \"config\": {\"name\": \"att\","
        + " \"use_scale\": true, \"score_mode\": \"dot\", \"dropout\": 0.0}, \"inbound_nodes\": [{\"args\": [["
        + String.format(tensor, "q") + ", " + String.format(tensor, "v") + "]], \"kwargs\": {\"return_attention_scores\": true,"
        + " \"use_causal_mask\": false}}]}";
    String json = model(List.of(input("q", "[null, 4, 3]"), input("v", "[null, 6, 3]"), attention), "[[\"q\", 0, 0], [\"v\", 0, 0]]",
        "[[\"att\", 0, 0], [\"att\", 0, 1]]");
    Functional f = (Functional) KerasConfigReader.parse(json, "att.json", null).architecture();
    assertEquals(java.util.Set.of(Functional.RETURN_SCORES), f.nodes().get(0).flags());
    assertArrayEquals(new int[] {4, 3}, f.outputShapes().get(0));
    assertArrayEquals(new int[] {4, 6}, f.outputShapes().get(1));
    assertEquals(List.of("att/scale()"), f.weightSpecs().stream().map(Object::toString).toList());
    String onDense = json.replace("\"class_name\": \"Attention\"", "\"class_name\": \"Add\"")
        .replace(" \"use_scale\": true, \"score_mode\": \"dot\", \"dropout\": 0.0", "").replace("\"att\",}", "\"att\"}");
    assertOneLine(assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(onDense.replace("att.json", "g.json"), "g.json", null)),
        "argument 'return_attention_scores', which is not supported");
  }

  @Test
  void readsMultiHeadAttentionCalledByKeywordWithItsWeightLayout() {
    String tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"%s\", 0, 0]}}";
    String mha = "{\"module\": \"keras.layers\", \"class_name\": \"MultiHeadAttention\", \"name\": \"mha\", \"config\": {\"name\": \"mha\","
        + " \"num_heads\": 2, \"key_dim\": 4, \"value_dim\": null, \"dropout\": 0.0, \"use_bias\": true, \"output_shape\": null,"
        + " \"attention_axes\": null, \"seed\": null}, \"inbound_nodes\": [{\"args\": [], \"kwargs\": {\"query\": "
        + String.format(tensor, "q") + ", \"value\": " + String.format(tensor, "v") + ", \"use_causal_mask\": true}}]}";
    String json = model(List.of(input("q", "[null, 4, 3]"), input("v", "[null, 6, 5]"), mha), "[[\"q\", 0, 0], [\"v\", 0, 0]]",
        "[[\"mha\", 0, 0]]");
    Functional f = (Functional) KerasConfigReader.parse(json, "mha.json", null).architecture();
    assertEquals(java.util.Set.of(Functional.CAUSAL), f.nodes().get(0).flags());
    assertEquals(List.of(new Functional.Ref(0, 0), new Functional.Ref(1, 0)), f.nodes().get(0).inputs());
    assertArrayEquals(new int[] {4, 3}, f.outputShape());
    assertEquals(List.of("mha/query/kernel(3, 2, 4)", "mha/query/bias(2, 4)", "mha/key/kernel(5, 2, 4)", "mha/key/bias(2, 4)",
        "mha/value/kernel(5, 2, 4)", "mha/value/bias(2, 4)", "mha/attention_output/kernel(2, 4, 3)", "mha/attention_output/bias(3,)"),
        f.weightSpecs().stream().map(Object::toString).toList());
  }

  @Test
  void readsMultiHeadAttentionsAttentionMaskInBothFormsAndChecksItsShape() {
    String mhaConfig = "\"num_heads\": 2, \"key_dim\": 4, \"dropout\": 0.0, \"use_bias\": true";
    String boolInput = layer("InputLayer", "m", "\"batch_input_shape\": [null, 4, 6], \"dtype\": \"bool\"", "[]");
    // tf.keras 2: the query inbound, value and attention_mask as [layer, node, tensor] keyword arguments
    String keras2 = model(List.of(input("q", "[null, 4, 3]"), input("v", "[null, 6, 5]"), boolInput,
        layer("MultiHeadAttention", "mha", mhaConfig,
            "[[[\"q\", 0, 0, {\"value\": [\"v\", 0, 0], \"attention_mask\": [\"m\", 0, 0]}]]]")),
        "[[\"q\", 0, 0], [\"v\", 0, 0], [\"m\", 0, 0]]", "[[\"mha\", 0, 0]]");
    Functional f2 = (Functional) KerasConfigReader.parse(keras2, "mha2.json", null).architecture();
    Functional.Node node = f2.nodes().get(0);
    assertEquals(List.of(new Functional.Ref(0, 0), new Functional.Ref(1, 0)), node.inputs());
    assertEquals(new Functional.Ref(2, 0), node.mask());
    // Keras 3: keyword tensors
    String tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"%s\", 0, 0]}}";
    String mha3 = "{\"module\": \"keras.layers\", \"class_name\": \"MultiHeadAttention\", \"name\": \"mha\", \"config\": {\"name\": \"mha\", "
        + mhaConfig + "}, \"inbound_nodes\": [{\"args\": [" + String.format(tensor, "q") + "], \"kwargs\": {\"value\": "
        + String.format(tensor, "v") + ", \"attention_mask\": " + String.format(tensor, "m") + "}}]}";
    String keras3 = model(List.of(input("q", "[null, 4, 3]"), input("v", "[null, 6, 5]"), boolInput, mha3),
        "[[\"q\", 0, 0], [\"v\", 0, 0], [\"m\", 0, 0]]", "[[\"mha\", 0, 0]]");
    Functional f3 = (Functional) KerasConfigReader.parse(keras3, "mha3.json", null).architecture();
    assertEquals(node.inputs(), f3.nodes().get(0).inputs());
    assertEquals(new Functional.Ref(2, 0), f3.nodes().get(0).mask());
    // a mask that is not (query time, value time), and attention_mask on another layer
    String misshaped = keras3.replace("[null, 4, 6], \"dtype\"", "[null, 6, 4], \"dtype\"");
    assertOneLine(assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(misshaped, "g.json", null)),
        "'mha'", "attention_mask of shape (6, 4)", "expected (query time, value time)");
    String onLstm = model(List.of(input("q", "[null, 4, 3]"), boolInput,
        layer("LSTM", "lstm", "\"units\": 2", "[[[\"q\", 0, 0, {\"attention_mask\": [\"m\", 0, 0]}]]]")),
        "[[\"q\", 0, 0], [\"m\", 0, 0]]", "[[\"lstm\", 0, 0]]");
    assertOneLine(assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(onLstm, "g.json", null)),
        "'lstm'", "'attention_mask', which only MultiHeadAttention takes");
    String plainMask = keras2.replace("\"attention_mask\": [\"m\", 0, 0]", "\"mask\": [\"m\", 0, 0]");
    assertOneLine(assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(plainMask, "g.json", null)),
        "'mha'", "argument 'mask', which MultiHeadAttention does not take");
  }

  @Test
  void readsAttentionsOwnQueryAndValueMasksInBothForms() {
    String att = "\"use_scale\": false, \"score_mode\": \"dot\", \"dropout\": 0.0";
    // tf.keras 2: mask=[query_mask, None] as a keyword argument of the query's inbound entry
    String keras2 = model(List.of(input("q", "[null, 4, 3]"), input("v", "[null, 6, 3]"), input("qm", "[null, 4]"),
        layer("Attention", "att", att, "[[[\"q\", 0, 0, {\"mask\": [[\"qm\", 0, 0], null]}], [\"v\", 0, 0, {}]]]")),
        "[[\"q\", 0, 0], [\"v\", 0, 0], [\"qm\", 0, 0]]", "[[\"att\", 0, 0]]");
    Functional.Node n2 = ((Functional) KerasConfigReader.parse(keras2, "a2.json", null).architecture()).nodes().get(0);
    assertEquals(java.util.Arrays.asList(new Functional.Ref(2, 0), null), n2.masks());
    // Keras 3: mask=[None, value_mask]
    String tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"%s\", 0, 0]}}";
    String att3 = "{\"module\": \"keras.layers\", \"class_name\": \"Attention\", \"name\": \"att\", \"config\": {\"name\": \"att\", " + att
        + "}, \"inbound_nodes\": [{\"args\": [[" + String.format(tensor, "q") + ", " + String.format(tensor, "v") + "]], \"kwargs\": {\"mask\": [null, "
        + String.format(tensor, "vm") + "]}}]}";
    String keras3 = model(List.of(input("q", "[null, 4, 3]"), input("v", "[null, 6, 3]"), input("vm", "[null, 6]"), att3),
        "[[\"q\", 0, 0], [\"v\", 0, 0], [\"vm\", 0, 0]]", "[[\"att\", 0, 0]]");
    Functional.Node n3 = ((Functional) KerasConfigReader.parse(keras3, "a3.json", null).architecture()).nodes().get(0);
    assertEquals(java.util.Arrays.asList(null, new Functional.Ref(2, 0)), n3.masks());
    // a value mask whose length is not the value's
    String wrong = keras3.replace("\"batch_input_shape\": [null, 6], \"dtype\"", "\"batch_input_shape\": [null, 5], \"dtype\"");
    assertOneLine(assertThrows(InvalidModelException.class, () -> KerasConfigReader.parse(wrong, "g.json", null)),
        "'att'", "value_mask of shape (5,)", "expected (time,)");
  }

  @Test
  void readsAModelUsedAsALayer() {
    String inner = "{\"class_name\": \"Sequential\", \"name\": \"enc\", \"config\": {\"name\": \"enc\", \"layers\": ["
        + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 4, \"batch_input_shape\": [null, 5, 3]}}]},"
        + " \"inbound_nodes\": [" + call("a") + ", " + call("b") + "]}";
    String json = model(List.of(input("a", "[null, 5, 3]"), input("b", "[null, 5, 3]"), inner,
        layer("Add", "sum", "", "[" + call("enc:0", "enc:1") + "]")), "[[\"a\", 0, 0], [\"b\", 0, 0]]", "[[\"sum\", 0, 0]]");
    Functional f = (Functional) KerasConfigReader.parse(json, "nested.json", null).architecture();
    assertEquals("Sequential 'enc' (nested, 1 layers)", f.layer(0).toString());
    assertTrue(f.isShared(0));
    assertEquals(List.of("enc/lstm/kernel(3, 16)", "enc/lstm/recurrent_kernel(4, 16)", "enc/lstm/bias(16,)"),
        f.weightSpecs().stream().map(Object::toString).toList());
    assertArrayEquals(new int[] {4}, f.outputShape());
  }

  @Test
  void readsVeryDeepGraphsWithoutRecursion() {
    List<String> layers = new ArrayList<>(List.of(input("x", "[null, 4]")));
    String previous = "x";
    for (int i = 0; i < 5000; i++) {
      layers.add(layer("Activation", "act" + i, "\"activation\": \"relu\"", "[" + call(previous) + "]"));
      previous = "act" + i;
    }
    Functional f = (Functional) KerasConfigReader.parse(model(layers, "[[\"x\", 0, 0]]", "[[\"" + previous + "\", 0, 0]]"), "deep.json",
        null).architecture();
    assertEquals(5000, f.nodes().size());
  }
}

package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.InvalidModelException;
import org.rnn4j.layers.Operation;

/**
 * The {@code keras.ops} nodes of functional configs: Keras 3 writes a call such as {@code
 * ops.not_equal(x, 0)} as a layer entry of module {@code keras.src.ops...} and class {@code
 * NotEqual} whose call arguments hold the tensors and constants; tf.keras 2 writes a {@code
 * TFOpLambda} whose {@code function} names the TensorFlow op, with the other operands as keyword
 * arguments of its inbound tensor. Element-wise comparisons, arithmetic and casts are supported;
 * any other operation is refused by name.
 */
final class OperationParser {
  private OperationParser() {}

  private static final Map<String, Operation.Kind> KERAS3 = Map.ofEntries(
      Map.entry("Equal", Operation.Kind.EQUAL),
      Map.entry("NotEqual", Operation.Kind.NOT_EQUAL),
      Map.entry("Greater", Operation.Kind.GREATER),
      Map.entry("GreaterEqual", Operation.Kind.GREATER_EQUAL),
      Map.entry("Less", Operation.Kind.LESS),
      Map.entry("LessEqual", Operation.Kind.LESS_EQUAL),
      Map.entry("Add", Operation.Kind.ADD),
      Map.entry("Subtract", Operation.Kind.SUBTRACT),
      Map.entry("Multiply", Operation.Kind.MULTIPLY),
      Map.entry("Divide", Operation.Kind.DIVIDE),
      Map.entry("TrueDivide", Operation.Kind.DIVIDE),
      Map.entry("Maximum", Operation.Kind.MAXIMUM),
      Map.entry("Minimum", Operation.Kind.MINIMUM),
      Map.entry("LogicalAnd", Operation.Kind.LOGICAL_AND),
      Map.entry("LogicalOr", Operation.Kind.LOGICAL_OR),
      Map.entry("LogicalNot", Operation.Kind.LOGICAL_NOT),
      Map.entry("Negative", Operation.Kind.NEGATIVE));

  private static final Map<String, Operation.Kind> TF_OPS = Map.ofEntries(
      Map.entry("math.equal", Operation.Kind.EQUAL),
      Map.entry("math.not_equal", Operation.Kind.NOT_EQUAL),
      Map.entry("math.greater", Operation.Kind.GREATER),
      Map.entry("math.greater_equal", Operation.Kind.GREATER_EQUAL),
      Map.entry("math.less", Operation.Kind.LESS),
      Map.entry("math.less_equal", Operation.Kind.LESS_EQUAL),
      Map.entry("math.add", Operation.Kind.ADD),
      Map.entry("__operators__.add", Operation.Kind.ADD),
      Map.entry("math.subtract", Operation.Kind.SUBTRACT),
      Map.entry("math.multiply", Operation.Kind.MULTIPLY),
      Map.entry("math.truediv", Operation.Kind.DIVIDE),
      Map.entry("math.divide", Operation.Kind.DIVIDE),
      Map.entry("math.maximum", Operation.Kind.MAXIMUM),
      Map.entry("math.minimum", Operation.Kind.MINIMUM),
      Map.entry("math.logical_and", Operation.Kind.LOGICAL_AND),
      Map.entry("math.logical_or", Operation.Kind.LOGICAL_OR),
      Map.entry("math.logical_not", Operation.Kind.LOGICAL_NOT),
      Map.entry("math.negative", Operation.Kind.NEGATIVE),
      Map.entry("cast", Operation.Kind.CAST_FLOAT));

  /** Whether a functional config entry is an operation node rather than a layer. */
  static boolean isOperation(JsonNode entry) {
    String module = entry.path("module").asText("");
    String cls = entry.path("class_name").asText("");
    return module.startsWith("keras.src.ops") || cls.equals("TFOpLambda") || cls.equals("SlicingOpLambda");
  }

  /** Whether an operation node is one rnn4j implements (the rule {@link #parse} applies). */
  static boolean isSupported(JsonNode entry) {
    try {
      parse(entry, "", entry.path("name").asText("?"));
      return true;
    } catch (InvalidModelException e) {
      return false;
    }
  }

  static Operation parse(JsonNode entry, String where, String name) {
    String cls = entry.path("class_name").asText("");
    JsonNode config = entry.path("config");
    JsonNode firstCall = entry.path("inbound_nodes").path(0);
    if (cls.equals("SlicingOpLambda")) {
      throw new InvalidModelException(where + " ('" + name + "'): SlicingOpLambda (tensor slicing written in Python) is not supported");
    }
    if (cls.equals("TFOpLambda")) {
      String function = config.path("function").asText("");
      Operation.Kind kind = TF_OPS.get(function);
      if (kind == null) {
        throw new InvalidModelException(where + " ('" + name + "'): TFOpLambda of tf." + function + " is not supported (supported: "
            + String.join(", ", new java.util.TreeSet<>(TF_OPS.keySet())) + ")");
      }
      JsonNode kwargs = firstCall.path(0).path(3);
      if (function.equals("cast")) {
        kind = cast(kwargs.path("dtype").asText(""), where, name);
      }
      List<Float> operands = new ArrayList<>();
      operands.add(null);
      if (kind.arity() == 2) {
        JsonNode y = kwargs.get("y");
        if (y == null) {
          throw new InvalidModelException(where + " ('" + name + "'): TFOpLambda of tf." + function + " has no second operand 'y'");
        }
        operands.add(y.isNumber() ? y.floatValue() : null);
      }
      return Operation.of(kind, cls, operands, name);
    }
    Operation.Kind kind = cls.equals("Cast") ? cast(config.path("dtype").asText(""), where, name) : KERAS3.get(cls);
    if (kind == null) {
      throw new InvalidModelException(where + " ('" + name + "'): the operation " + cls + " (" + entry.path("module").asText("") + ") is not supported"
          + " (supported: comparisons, arithmetic, logic and casts: " + String.join(", ", new java.util.TreeSet<>(KERAS3.keySet())) + ", Cast)");
    }
    List<Float> operands = new ArrayList<>();
    for (JsonNode arg : firstCall.path("args")) {
      if (FunctionalReader.tensorOrNull(arg) != null) {
        operands.add(null);
      } else if (arg.isNumber() || arg.isBoolean()) {
        operands.add(arg.isBoolean() ? (arg.booleanValue() ? 1f : 0f) : arg.floatValue());
      } else {
        throw new InvalidModelException(where + " ('" + name + "'): operand " + FunctionalReader.abbreviate(arg)
            + " is neither a tensor nor a number");
      }
    }
    return Operation.of(kind, cls, operands, name);
  }

  private static Operation.Kind cast(String dtype, String where, String name) {
    String d = dtype.toLowerCase(Locale.ROOT);
    if (d.matches("float(16|32|64)|bfloat16")) {
      return Operation.Kind.CAST_FLOAT;
    }
    if (d.matches("u?int(8|16|32|64)")) {
      return Operation.Kind.CAST_INT;
    }
    if (d.equals("bool")) {
      return Operation.Kind.CAST_BOOL;
    }
    throw new InvalidModelException(where + " ('" + name + "'): cast to '" + dtype + "' is not supported");
  }

  /** The tensors a call of an operation takes, in operand order. */
  static FunctionalReader.RawCall call(JsonNode call, String layer, int index, String where, FunctionalReader reader) {
    List<FunctionalReader.TensorId> tensors = new ArrayList<>();
    if (call.isObject()) {
      for (JsonNode arg : call.path("args")) {
        FunctionalReader.TensorId t = FunctionalReader.tensorOrNull(arg);
        if (t != null) {
          tensors.add(t);
        }
      }
    } else if (call.isArray()) {
      for (JsonNode entry : call) {
        tensors.add(FunctionalReader.tensorId(entry.get(0).asText(), entry.get(1).asInt(), entry.get(2).asInt()));
        JsonNode y = entry.path(3).get("y");
        if (y != null && y.isArray() && y.size() >= 3 && y.get(0).isTextual()) {
          tensors.add(FunctionalReader.tensorId(y.get(0).textValue(), y.get(1).asInt(), y.get(2).asInt()));
        }
      }
    }
    if (tensors.isEmpty()) {
      throw new InvalidModelException(where + " ('" + layer + "'): the operation takes no tensor");
    }
    return FunctionalReader.rawCall(layer, index, tensors);
  }
}

package org.rnn4j.keras;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.FileFormatException;
import org.rnn4j.Limits;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.WeightSpec;

/**
 * Weights in Keras 3's layout ({@code model.weights.h5} inside a {@code .keras} file, or a {@code
 * .weights.h5} file), matched by object path as Keras 3 does: each object's variables sit in a
 * {@code vars} group as datasets {@code 0, 1, ...} in creation order, under the path of attribute
 * names that leads to the object. Objects in a list are named by their class in snake case,
 * numbered from the second one on ({@code layers/lstm}, {@code layers/lstm_1}, {@code
 * layers/dense}); a recurrent layer's variables belong to its {@code cell} ({@code
 * layers/lstm/cell/vars/0}), a stack's to each of its {@code cells} ({@code
 * layers/rnn/cell/cells/lstm_cell_1/vars/0}), a Bidirectional layer's to its {@code forward_layer}
 * and {@code backward_layer}, a TimeDistributed layer's to its {@code layer}.
 */
final class Keras3Weights {
  private Keras3Weights() {}

  static List<Tensor> read(Group root, Architecture arch, String source, Limits.Budget budget) {
    List<Tensor> out = new ArrayList<>();
    read(root, arch, "layers", source, budget, out);
    return out;
  }

  /** The weights of {@code arch}'s layers under {@code prefix} ({@code layers}, or a nested model's {@code .../layers}). */
  private static void read(Group root, Architecture arch, String prefix, String source, Limits.Budget budget, List<Tensor> out) {
    walk(arch, prefix, null, (a, i, varPaths) -> {
      List<WeightSpec> specs = a.weightSpecs().subList(a.weightOffset(i), a.weightOffset(i + 1));
      for (int k = 0; k < varPaths.size(); k++) {
        if (!H5.has(root, varPaths.get(k))) {
          throw new FileFormatException(
              source + ": missing weight '" + varPaths.get(k) + "' (" + specs.get(k).name() + ") for layer '" + a.layerName(i) + "'");
        }
        out.add(H5.tensor(root, varPaths.get(k), source, budget, H5.plausibleValues(a.parameterCount(i))));
      }
      checkNoExtraVars(root, varPaths, source, a.layerName(i));
    });
  }

  /** Where Keras 3 keeps each weight of {@code arch}, in get_weights() order. */
  static List<String> varPaths(Architecture arch) {
    List<String> out = new ArrayList<>();
    walk(arch, "layers", null, (a, i, varPaths) -> out.addAll(varPaths));
    return out;
  }

  /**
   * Every object group Keras 3 writes for {@code arch} (each holds a {@code vars} group named
   * after the object), mapped to the object's name, parents before children; the model's own
   * under the empty path.
   */
  static Map<String, String> objects(Architecture arch) {
    Map<String, String> objects = new java.util.LinkedHashMap<>();
    objects.put("", arch.name());
    if (arch instanceof org.rnn4j.layers.Functional) {
      Map<String, Integer> counters = new HashMap<>();
      for (int k = 0; k < arch.inputs().size(); k++) {
        String name = numbered("input_layer", counters);
        objects.put("layers/" + name, name);
      }
    }
    walk(arch, "layers", objects, (a, i, varPaths) -> {});
    return objects;
  }

  /** One layer's variable paths (in get_weights() order), with its architecture and index there. */
  private interface LayerVars {
    void visit(Architecture arch, int index, List<String> varPaths);
  }

  /**
   * Visits every layer with weights of {@code arch} under {@code prefix}, nested models' layers
   * in place; records each object's group and name into {@code objects} if given.
   */
  private static void walk(Architecture arch, String prefix, Map<String, String> objects, LayerVars visitor) {
    Map<String, Integer> counters = new HashMap<>();
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer layer = arch.layer(i);
      if (layer instanceof org.rnn4j.layers.Operation) {
        continue; // keras.ops nodes are not layers in Keras 3: no path, no counter
      }
      String path = prefix + "/" + numbered(snake(layer.kerasClassName()), counters);
      if (objects != null) {
        objects.put(path, arch.layerName(i));
      }
      if (layer instanceof org.rnn4j.layers.NestedModel n) {
        walk(n.model(), path + "/layers", objects, visitor);
        continue;
      }
      List<String> varPaths = new ArrayList<>();
      collect(layer, path, arch.weightCount(i), varPaths, objects);
      if (varPaths.size() != arch.weightCount(i)) {
        throw new IllegalStateException("path layout of " + layer.kerasClassName() + " does not match its weights");
      }
      visitor.visit(arch, i, varPaths);
    }
  }

  /** The variable paths of one layer with {@code count} weights, in get_weights() order. */
  private static void collect(Layer layer, String path, int count, List<String> out, Map<String, String> objects) {
    if (layer instanceof RNN rnn) {
      rnnVars(rnn, path, out, objects);
    } else if (layer instanceof Bidirectional b) {
      object(objects, path + "/forward_layer", b.forwardLayer().name());
      rnnVars(b.forwardLayer(), path + "/forward_layer", out, objects);
      object(objects, path + "/backward_layer", b.backwardLayer().name());
      rnnVars(b.backwardLayer(), path + "/backward_layer", out, objects);
    } else if (layer instanceof TimeDistributed t) {
      object(objects, path + "/layer", t.layer().name() == null ? snake(t.layer().kerasClassName()) : t.layer().name());
      vars(path + "/layer", count, out);
    } else if (layer instanceof org.rnn4j.layers.MultiHeadAttention m) {
      // its four projections are sub-layers: query, key, value, then the output
      int each = m.useBias() ? 2 : 1;
      for (String part : List.of("_query_dense", "_key_dense", "_value_dense", "_output_dense")) {
        object(objects, path + "/" + part, part.substring(1, part.indexOf("_dense")));
        vars(path + "/" + part, each, out);
      }
    } else {
      vars(path, count, out);
    }
  }

  private static void object(Map<String, String> objects, String path, String name) {
    if (objects != null) {
      objects.put(path, name);
    }
  }

  private static void rnnVars(RNN rnn, String path, List<String> out, Map<String, String> objects) {
    if (rnn.cell() instanceof StackedRNNCells stack) {
      object(objects, path + "/cell", "stacked_rnn_cells");
      Map<String, Integer> counters = new HashMap<>();
      for (SingleCell c : stack.cells()) {
        String cellPath = path + "/cell/cells/" + numbered(snake(c.kerasClassName()), counters);
        object(objects, cellPath, c.name() == null ? snake(c.kerasClassName()) : c.name());
        vars(cellPath, count(c), out);
      }
    } else {
      SingleCell c = (SingleCell) rnn.cell();
      object(objects, path + "/cell", c.name() == null ? snake(c.kerasClassName()) : c.name());
      vars(path + "/cell", count(c), out);
    }
  }

  private static int count(SingleCell c) {
    return c.useBias() ? 3 : 2;
  }

  private static void vars(String path, int n, List<String> out) {
    for (int k = 0; k < n; k++) {
      out.add(path + "/vars/" + k);
    }
  }

  private static void checkNoExtraVars(Group root, List<String> varPaths, String source, String layer) {
    java.util.Set<String> groups = new java.util.LinkedHashSet<>();
    varPaths.forEach(p -> groups.add(p.substring(0, p.lastIndexOf('/'))));
    for (String g : groups) {
      Group vars = H5.group(root, g, source);
      for (Node n : vars.getChildren().values()) {
        if (!varPaths.contains(g + "/" + n.getName())) {
          throw new FileFormatException(source + ": unexpected weight '" + g + "/" + n.getName() + "' for layer '" + layer + "'");
        }
      }
    }
  }

  /** Keras' {@code to_snake_case} of a class name. */
  static String snake(String className) {
    String s = className.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code base}, then {@code base_1}, {@code base_2}, ... within one container. */
  private static String numbered(String base, Map<String, Integer> counters) {
    int n = counters.merge(base, 1, Integer::sum) - 1;
    return n == 0 ? base : base + "_" + n;
  }
}

package org.rnn4j.keras;

import io.jhdf.api.Group;
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
 * Weights matched by object path, as Keras 3 and tf.keras 2.13–2.15's {@code .keras} saver write
 * them ({@code model.weights.h5} inside a {@code .keras} file, or a {@code .weights.h5} file): each
 * object's variables sit in a {@code vars} group as datasets {@code 0, 1, ...} in creation order,
 * under the path of attribute names that leads to the object. Objects in a list are named by their
 * class in snake case, numbered from the second one on ({@code layers/lstm}, {@code layers/lstm_1},
 * {@code layers/dense}); a recurrent layer's variables belong to its {@code cell} ({@code
 * layers/lstm/cell/vars/0}), a stack's to each of its {@code cells} ({@code
 * layers/rnn/cell/cells/lstm_cell_1/vars/0}), a Bidirectional layer's to its {@code forward_layer}
 * and {@code backward_layer}, a TimeDistributed layer's to its {@code layer}.
 *
 * <p>The two savers differ in the model's container only. Keras 3 lists each layer once under
 * {@code layers}. tf.keras 2 walks {@code _layer_checkpoint_dependencies}, which lists a layer with
 * weights twice (the second visit is skipped, its number used), so its layers' numbers have gaps
 * ({@code dense}, {@code dense_2}); the layers with weights of one class are therefore matched in
 * order with that class's groups that hold datasets, in the order of their numbers. On Windows it
 * joined paths with {@code \}, which HDF5 keeps inside one group name: paths are read with
 * {@code \} taken as {@code /}.
 */
final class ObjectPathWeights {
  private ObjectPathWeights() {}

  /** The container of a model's layers in each saver's layout. */
  private static final String KERAS3_LAYERS = "layers";
  private static final String TF_KERAS2_LAYERS = "_layer_checkpoint_dependencies";

  /** Whether {@code root} holds weights in either object-path layout. */
  static boolean holdsWeights(Group root) {
    return H5.has(root, KERAS3_LAYERS)
        || root.getChildren().keySet().stream().anyMatch(n -> (H5Paths.normal(n) + "/").startsWith(TF_KERAS2_LAYERS + "/"));
  }

  static List<Tensor> read(Group root, Architecture arch, String source, Limits.Budget budget) {
    List<Tensor> out = new ArrayList<>();
    H5Paths index = H5Paths.of(root, source);
    Naming naming;
    if (H5.has(root, KERAS3_LAYERS)) {
      naming = new Keras3Naming();
    } else if (index.hasChild("", TF_KERAS2_LAYERS)) {
      naming = new TfKeras2Naming(index, source);
    } else {
      throw new FileFormatException(source + ": no '" + KERAS3_LAYERS + "' or '" + TF_KERAS2_LAYERS + "' group (not a Keras weights file)");
    }
    walk(arch, naming.container(), null, naming, (a, i, varPaths) -> {
      List<WeightSpec> specs = a.weightSpecs().subList(a.weightOffset(i), a.weightOffset(i + 1));
      for (int k = 0; k < varPaths.size(); k++) {
        String raw = index.raw(varPaths.get(k));
        if (raw == null) {
          throw new FileFormatException(
              source + ": missing weight '" + varPaths.get(k) + "' (" + specs.get(k).name() + ") for layer '" + a.layerName(i) + "'");
        }
        out.add(H5.tensor(root, raw, source, budget, H5.plausibleValues(a.parameterCount(i))));
      }
      checkNoExtraVars(index, varPaths, source, a.layerName(i));
    });
    return out;
  }

  /** Where Keras 3 keeps each weight of {@code arch}, in get_weights() order. */
  static List<String> varPaths(Architecture arch) {
    List<String> out = new ArrayList<>();
    walk(arch, KERAS3_LAYERS, null, new Keras3Naming(), (a, i, varPaths) -> out.addAll(varPaths));
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
        objects.put(KERAS3_LAYERS + "/" + name, name);
      }
    }
    walk(arch, KERAS3_LAYERS, objects, new Keras3Naming(), (a, i, varPaths) -> {});
    return objects;
  }

  /** How one saver names a model's layers inside their container. */
  private interface Naming {
    /** The container of a model's layers (a nested model's too, under its own path). */
    String container();

    /** A fresh naming scope for one container. */
    Scope scope(String container);

    interface Scope {
      String path(Layer layer, String layerName, boolean hasWeights);
    }
  }

  /** Keras 3: each layer once, numbered per class. */
  private static final class Keras3Naming implements Naming {
    @Override
    public String container() {
      return KERAS3_LAYERS;
    }

    @Override
    public Scope scope(String container) {
      Map<String, Integer> counters = new HashMap<>();
      return (layer, name, hasWeights) -> container + "/" + numbered(snake(layer.kerasClassName()), counters);
    }
  }

  /** tf.keras 2: a class's layers with weights matched in order with its groups that hold datasets. */
  private static final class TfKeras2Naming implements Naming {
    private final H5Paths index;
    private final String source;

    TfKeras2Naming(H5Paths index, String source) {
      this.index = index;
      this.source = source;
    }

    @Override
    public String container() {
      return TF_KERAS2_LAYERS;
    }

    @Override
    public Scope scope(String container) {
      Map<String, java.util.ArrayDeque<String>> groups = new HashMap<>();
      return (layer, name, hasWeights) -> {
        String base = snake(layer.kerasClassName());
        if (!hasWeights) {
          return container + "/" + base; // holds nothing to read
        }
        java.util.ArrayDeque<String> left = groups.computeIfAbsent(base, b -> index.numberedWithData(container, b));
        if (left.isEmpty()) {
          throw new FileFormatException(source + ": missing weights for layer '" + name + "' (no further group '" + container + "/"
              + base + "[_N]' holding variables)");
        }
        return container + "/" + left.poll();
      };
    }
  }

  /** One layer's variable paths (in get_weights() order), with its architecture and index there. */
  private interface LayerVars {
    void visit(Architecture arch, int index, List<String> varPaths);
  }

  /**
   * Visits every layer with weights of {@code arch} under {@code container}, nested models' layers
   * in place; records each object's group and name into {@code objects} if given.
   */
  private static void walk(Architecture arch, String container, Map<String, String> objects, Naming naming, LayerVars visitor) {
    Naming.Scope scope = naming.scope(container);
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer layer = arch.layer(i);
      if (layer instanceof org.rnn4j.layers.Operation) {
        continue; // keras.ops nodes are not layers in Keras 3, weightless TFOpLambda layers in tf.keras 2
      }
      String path = scope.path(layer, arch.layerName(i), arch.weightCount(i) > 0);
      if (objects != null) {
        objects.put(path, arch.layerName(i));
      }
      if (layer instanceof org.rnn4j.layers.NestedModel n) {
        walk(n.model(), path + "/" + naming.container(), objects, naming, visitor);
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

  private static void checkNoExtraVars(H5Paths index, List<String> varPaths, String source, String layer) {
    java.util.Set<String> groups = new java.util.LinkedHashSet<>();
    varPaths.forEach(p -> groups.add(p.substring(0, p.lastIndexOf('/'))));
    for (String g : groups) {
      for (String child : index.children(g)) {
        if (!varPaths.contains(g + "/" + child)) {
          throw new FileFormatException(source + ": unexpected weight '" + g + "/" + child + "' for layer '" + layer + "'");
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

package org.rnn4j.keras;

import io.jhdf.api.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Limits;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;

/**
 * Weights in the legacy HDF5 layout of Keras 1, Keras 2 and tf.keras ({@code model.save("m.h5")}'s
 * {@code model_weights} group, or the root of a {@code save_weights("w.h5")} file): attribute
 * {@code layer_names} lists the layers (split into {@code layer_names0}, {@code layer_names1}, ...
 * when long); each layer group's {@code weight_names} lists its datasets in {@code get_weights()}
 * order. As Keras does, the file's layers that have weights are matched in order with the model's
 * layers that have weights, and each layer's weights in the order of {@code weight_names}.
 *
 * <p>Keras 1 stored recurrent weights per gate ({@code W_i, U_i, b_i, W_c, ...}); they are
 * concatenated into Keras 2's kernel, recurrent_kernel and bias in Keras' gate order (LSTM i, f, c,
 * o; GRU z, r, h).
 */
final class LegacyWeights {
  private static final Pattern KERAS1_GATE = Pattern.compile(".*_([WUb])_([ifcozrh])(:\\d+)?$");

  private LegacyWeights() {}

  /** The weights of {@code arch} from a group holding {@code layer_names}, in get_weights() order. */
  static List<Tensor> read(Group root, Architecture arch, String source, Limits.Budget budget) {
    List<String> layerNames = H5.strings(root, "layer_names", source);
    if (layerNames == null) {
      throw new FileFormatException(source + ": missing attribute 'layer_names' of '" + root.getPath() + "' (not a Keras weights file)");
    }
    List<String> fileLayers = new ArrayList<>();
    List<List<String>> fileWeights = new ArrayList<>();
    for (String name : layerNames) {
      List<String> weightNames = H5.strings(H5.group(root, name, source), "weight_names", source);
      if (weightNames == null) {
        throw new FileFormatException(source + ": missing attribute 'weight_names' of layer group '" + name + "'");
      }
      if (!weightNames.isEmpty()) {
        fileLayers.add(name);
        fileWeights.add(weightNames);
      }
    }
    List<Integer> modelLayers = new ArrayList<>();
    for (int i = 0; i < arch.layers().size(); i++) {
      if (arch.weightCount(i) > 0) {
        modelLayers.add(i);
      }
    }
    if (fileLayers.size() != modelLayers.size()) {
      throw new InvalidModelException(
          source + ": holds weights for " + fileLayers.size() + " layers " + fileLayers + ", the model has "
              + modelLayers.size() + " layers with weights " + modelLayers.stream().map(arch::layerName).toList());
    }
    List<Tensor> out = new ArrayList<>();
    for (int k = 0; k < modelLayers.size(); k++) {
      int layer = modelLayers.get(k);
      Group g = H5.group(root, fileLayers.get(k), source);
      List<Tensor> values = new ArrayList<>();
      for (String w : fileWeights.get(k)) {
        values.add(H5.tensor(g, w, source, budget, H5.plausibleValues(arch.parameterCount(layer))));
      }
      values = fromKeras1(arch.layer(layer), fileWeights.get(k), values, source);
      if (values.size() != arch.weightCount(layer)) {
        throw new InvalidModelException(
            source + ": layer '" + fileLayers.get(k) + "' holds " + values.size() + " weights " + fileWeights.get(k)
                + ", model layer '" + arch.layerName(layer) + "' (" + arch.layer(layer).kerasClassName() + ") has "
                + arch.weightCount(layer) + " " + arch.weightSpecs().subList(arch.weightOffset(layer), arch.weightOffset(layer + 1)));
      }
      out.addAll(values);
    }
    return out;
  }

  /** Converts Keras 1 per-gate recurrent weights, recognised by their names; other weights pass through. */
  static List<Tensor> fromKeras1(Layer layer, List<String> names, List<Tensor> values, String source) {
    if (!(layer instanceof RNN) && !(layer instanceof Bidirectional)) {
      return values;
    }
    if (names.stream().noneMatch(n -> KERAS1_GATE.matcher(n).matches())) {
      return values;
    }
    List<RNN> parts = layer instanceof Bidirectional b ? List.of(b.forwardLayer(), b.backwardLayer()) : List.of((RNN) layer);
    List<Tensor> out = new ArrayList<>();
    int pos = 0;
    for (RNN rnn : parts) {
      if (rnn.cell() instanceof StackedRNNCells) {
        throw new InvalidModelException(source + ": Keras 1 per-gate weights for stacked cells are not supported");
      }
      SingleCell cell = (SingleCell) rnn.cell();
      String gates = switch (cell.kerasClassName()) {
        case "LSTMCell" -> "ifco";
        case "GRUCell" -> "zrh";
        default -> "";
      };
      if (gates.isEmpty()) {
        int n = cell.useBias() ? 3 : 2;
        out.addAll(values.subList(pos, pos + n));
        pos += n;
        continue;
      }
      int n = 3 * gates.length();
      Map<String, Tensor> byName = new TreeMap<>();
      for (int i = pos; i < pos + n && i < values.size(); i++) {
        Matcher m = KERAS1_GATE.matcher(names.get(i));
        if (!m.matches()) {
          throw new InvalidModelException(source + ": weight '" + names.get(i) + "' is not a Keras 1 per-gate weight");
        }
        byName.put(m.group(1) + m.group(2), values.get(i));
      }
      for (String kind : List.of("W", "U", "b")) {
        List<Tensor> blocks = new ArrayList<>();
        for (char g : gates.toCharArray()) {
          Tensor t = byName.get(kind + g);
          if (t == null) {
            throw new InvalidModelException(source + ": Keras 1 weights of layer '" + rnn.name() + "' lack " + kind + "_" + g);
          }
          blocks.add(t);
        }
        out.add(concatLastAxis(blocks));
      }
      pos += n;
    }
    return out;
  }

  /** Blocks side by side along the last axis (gate blocks of a Keras 2 kernel). */
  static Tensor concatLastAxis(List<Tensor> blocks) {
    int[] shape = blocks.get(0).shape();
    int rows = blocks.get(0).size() / shape[shape.length - 1];
    int width = 0;
    for (Tensor b : blocks) {
      width += b.dim(-1);
    }
    float[] out = new float[rows * width];
    int col = 0;
    for (Tensor b : blocks) {
      int w = b.dim(-1);
      float[] d = b.toArray();
      for (int r = 0; r < rows; r++) {
        System.arraycopy(d, r * w, out, r * width + col, w);
      }
      col += w;
    }
    shape[shape.length - 1] = width;
    return Tensor.wrap(shape, out);
  }
}

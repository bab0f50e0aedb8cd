package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.FileFormatException;
import org.rnn4j.Limits;

/**
 * What a Keras file is, read without building the model: its format, the Keras version that wrote
 * it and the layers its config lists (each marked supported or not). {@code rnn4j inspect} shows
 * this even for models rnn4j cannot run.
 *
 * @param format a description of the file's format
 * @param version the Keras version that wrote it, or null when the file does not say
 * @param configJson the model config JSON, or null for a weights-only file
 * @param layers the config's layers in order (input layers included), empty without a config
 */
public record KerasFileInfo(String format, KerasVersion version, String configJson, List<LayerEntry> layers) {

  /** One layer of a config: its name, Keras class, and whether rnn4j supports that class. */
  public record LayerEntry(String name, String className, boolean supported) {}

  /** Reads a model file's format, version and layer list. */
  public static KerasFileInfo read(Path file) {
    Limits.Budget budget = Limits.current().budget(file.toString());
    return switch (FileKind.of(file)) {
      case ZIP -> {
        KerasArchive a = KerasArchive.read(file, budget);
        String format = a.version != null && a.version.major() < 3 ? "tf.keras " + a.version + " .keras archive" : "Keras 3 .keras archive";
        yield new KerasFileInfo(format, a.version, a.config, layers(a.config, file + "[config.json]"));
      }
      case HDF5 -> H5.guard(file.toString(), () -> {
        try (HdfFile h5 = H5.open(file, budget)) {
          String config = H5.string(h5, "model_config", file.toString());
          String v = H5.string(h5, "keras_version", file.toString());
          KerasVersion version = v == null ? null : KerasVersion.parse(v);
          if (config != null) {
            return new KerasFileInfo("legacy HDF5 model (model.save)", version, config, layers(config, file + "[model_config]"));
          }
          String format = H5.strings(h5, "layer_names", file.toString()) != null
              ? "legacy HDF5 weights (save_weights)"
              : ObjectPathWeights.holdsWeights(h5) ? "Keras 3 or tf.keras 2.13+ weights (.weights.h5)" : "HDF5 file without a Keras model";
          return new KerasFileInfo(format, version, null, List.of());
        }
      });
      case JSON -> {
        String text = KerasConfigReader.readJson(file, budget.limits());
        JsonNode root = KerasConfigReader.parseJson(text, file.toString());
        if (TfjsLayersModel.is(root)) {
          String config = TfjsLayersModel.config(root, file.toString()).toString();
          KerasVersion v = TfjsLayersModel.version(root);
          yield new KerasFileInfo("TensorFlow.js layers model", v, config, layers(config, file + "[modelTopology]"));
        }
        KerasVersion version = root.isObject() ? KerasConfigReader.versionOf(root) : null;
        yield new KerasFileInfo("Keras JSON config", version, text, layers(text, file.toString()));
      }
      case NPY -> throw new FileFormatException(file + ": a NumPy array, not a Keras model file");
      default -> throw new FileFormatException(file + ": not a Keras model file (expected .keras, .h5 or .json)");
    };
  }

  /** The layers a config lists, without interpreting their arguments. */
  static List<LayerEntry> layers(String json, String source) {
    JsonNode root = KerasConfigReader.parseJson(json, source);
    List<LayerEntry> out = new ArrayList<>();
    JsonNode config = root.get("config");
    JsonNode layers = config == null ? null : config.isArray() ? config : config.get("layers");
    if (layers == null || !layers.isArray()) {
      layers = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add(root);
    }
    for (JsonNode l : layers) {
      String cls = l.path("class_name").asText("?");
      String name = l.path("config").path("name").asText(l.path("name").asText("?"));
      out.add(new LayerEntry(name, cls, OperationParser.isOperation(l) ? OperationParser.isSupported(l) : LayerParser.isSupported(cls)));
    }
    return out;
  }
}

package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.nio.file.Path;
import java.util.List;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Limits;
import org.rnn4j.Model;
import org.rnn4j.ResourceLimitException;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npz;
import org.rnn4j.layers.Architecture;

/**
 * Loads a model from the files a Keras user has, in one call:
 *
 * <pre>{@code
 * Model m1 = KerasModels.load(Path.of("model.keras"));            // Keras 3
 * Model m2 = KerasModels.load(Path.of("model.h5"));               // model.save() of Keras 1/2, tf.keras
 * Model m3 = KerasModels.load(Path.of("config.json"), Path.of("model.weights.h5"));
 * Model m4 = KerasModels.load(Path.of("lstm.json"), Path.of("weights.npz"));
 * }</pre>
 *
 * <ul>
 *   <li>Model files: {@code .keras} (zip of config.json, metadata.json, model.weights.h5), legacy
 *       full-model {@code .h5} (attribute {@code model_config} and group {@code model_weights}),
 *       or a Keras JSON config (which holds no weights).
 *   <li>Weights files: an {@code .npz} of {@code np.savez(*model.get_weights())}, a legacy {@code
 *       save_weights()} {@code .h5} (matched by layer order and {@code weight_names}), or a Keras 3
 *       {@code .weights.h5} (matched by object path). A weights file replaces the weights a model
 *       file holds.
 * </ul>
 *
 * Files are recognised by their content, not their name.
 */
public final class KerasModels {
  private KerasModels() {}

  /** Loads a model file that holds its weights ({@code .keras} or a full-model {@code .h5}). */
  public static Model load(Path model) {
    return load(model, null);
  }

  /**
   * Loads a model, with weights from a separate file (or null to take them from the model file).
   *
   * @throws FileFormatException if a file is missing or malformed
   * @throws InvalidModelException if the config or weights do not describe a supported model
   */
  public static Model load(Path model, Path weights) {
    return load(model, weights, Limits.current());
  }

  /**
   * As {@link #load(Path, Path)}, within {@code limits}: one memory budget covers everything the
   * load reads.
   *
   * @throws ResourceLimitException if the files would need more than the limits allow
   */
  public static Model load(Path model, Path weights, Limits limits) {
    FileKind kind = FileKind.of(model);
    Limits.Budget budget = limits.budget(model.toString());
    return switch (kind) {
      case JSON -> fromJson(model, weights, budget);
      case ZIP -> fromKeras3Archive(model, weights, budget);
      case HDF5 -> H5.guard(model.toString(), () -> fromFullH5(model, weights, budget));
      default -> throw new FileFormatException(
          model + ": not a Keras model file (expected a .keras archive, an .h5 file or a .json config)");
    };
  }

  private static Model fromJson(Path model, Path weights, Limits.Budget budget) {
    JsonNode root = KerasConfigReader.parseJson(KerasConfigReader.readJson(model, budget.limits()), model.toString(), budget.limits());
    if (TfjsLayersModel.is(root)) {
      String source = model + "[modelTopology]";
      KerasModelConfig config = KerasConfigReader.parse(TfjsLayersModel.config(root, model.toString()), source, TfjsLayersModel.version(root));
      if (weights != null) {
        return withWeights(config, model, weights, budget);
      }
      List<Tensor> values = TfjsLayersModel.weights(model, root, budget);
      return checked(config.architecture(values), values, model, model + "[weightsManifest]", config);
    }
    if (weights == null) {
      throw new InvalidModelException(model + ": a JSON config holds no weights; give a weights file (.npz, .h5 or .weights.h5)");
    }
    KerasModelConfig config = KerasConfigReader.parse(root, model.toString(), null);
    return withWeights(config, model, weights, budget);
  }

  private static Model fromKeras3Archive(Path model, Path weights, Limits.Budget budget) {
    KerasArchive archive = KerasArchive.read(model, budget);
    KerasModelConfig config = KerasConfigReader.parse(
        KerasConfigReader.parseJson(archive.config, model + "[config.json]", budget.limits()), model + "[config.json]", archive.version);
    if (weights != null) {
      return withWeights(config, model, weights, budget);
    }
    Architecture arch = config.architecture();
    String source = model + "[model.weights.h5]";
    return H5.guard(source, () -> {
      try (HdfFile h5 = H5.open(archive.weights, source)) {
        return checked(arch, ObjectPathWeights.read(h5, arch, source, budget), model, source, config);
      }
    });
  }

  private static Model fromFullH5(Path model, Path weights, Limits.Budget budget) {
    try (HdfFile h5 = H5.open(model, budget)) {
      String json = H5.string(h5, "model_config", model.toString());
      if (json == null) {
        throw new InvalidModelException(
            model + ": holds weights but no model_config (a save_weights() file); give the model config: --model config.json --weights "
                + model.getFileName());
      }
      String versionText = H5.string(h5, "keras_version", model.toString());
      KerasVersion version = versionText == null ? null : KerasVersion.parse(versionText);
      KerasModelConfig config = KerasConfigReader.parse(
          KerasConfigReader.parseJson(json, model + "[model_config]", budget.limits()), model + "[model_config]", version);
      if (weights != null) {
        return withWeights(config, model, weights, budget);
      }
      Architecture arch = config.architecture();
      Group group = H5.group(h5, "model_weights", model.toString());
      return checked(arch, LegacyWeights.read(group, arch, model.toString(), budget), model, model.toString(), config);
    }
  }

  private static Model withWeights(KerasModelConfig config, Path model, Path weights, Limits.Budget budget) {
    FileKind kind = FileKind.of(weights);
    List<Tensor> values;
    Architecture arch;
    switch (kind) {
      case ZIP -> {
        values = Npz.readList(weights, budget);
        arch = config.architecture(values);
      }
      case HDF5 -> {
        Architecture a = config.architecture();
        arch = a;
        String source = weights.toString();
        values = H5.guard(source, () -> {
          try (HdfFile h5 = H5.open(weights, budget)) {
            return H5.strings(h5, "layer_names", source) != null
                ? LegacyWeights.read(h5, a, source, budget)
                : ObjectPathWeights.holdsWeights(h5)
                    ? ObjectPathWeights.read(h5, a, source, budget)
                    : H5.has(h5, "model_weights")
                        ? LegacyWeights.read(H5.group(h5, "model_weights", source), a, source, budget)
                        : failNotWeights(weights);
          }
        });
      }
      default -> throw new FileFormatException(weights + ": not a weights file (expected .npz, .h5 or .weights.h5)");
    }
    return checked(arch, values, model, weights.toString(), config);
  }

  private static List<Tensor> failNotWeights(Path weights) {
    throw new FileFormatException(
        weights + ": an HDF5 file without Keras weights (no 'layer_names' attribute, 'layers', '_layer_checkpoint_dependencies' or 'model_weights' group)");
  }

  private static Model checked(Architecture arch, List<Tensor> values, Path model, String weightsSource, KerasModelConfig config) {
    try {
      return Model.of(arch, CuDnnWeights.toKeras(arch, values)).withSource(model.getFileName().toString())
          .withTrainingSettings(config.training());
    } catch (InvalidModelException e) {
      throw new InvalidModelException(weightsSource + ": weights do not fit the model: " + e.getMessage(), e);
    }
  }
}

package org.rnn4j.keras;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npz;
import org.rnn4j.layers.Sequential;

/**
 * Loads a model from the files a Keras user has, in one call:
 *
 * <pre>{@code
 * Model model = KerasModels.load(Path.of("lstm.json"), Path.of("weights.npz"));
 * }</pre>
 *
 * The model file is a Keras JSON config ({@code model.to_json()} or one serialized layer); the
 * weights file an {@code .npz} of {@code np.savez(*model.get_weights())}, in {@code get_weights()}
 * order.
 */
public final class KerasModels {
  private KerasModels() {}

  /**
   * Loads a model from a config file and a weights file.
   *
   * @throws FileFormatException if a file is missing or malformed
   * @throws InvalidModelException if the config or the weights do not describe a supported model
   */
  public static Model load(Path model, Path weights) {
    String name = model.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!Files.exists(model)) {
      throw new FileFormatException(model + ": no such file");
    }
    if (!name.endsWith(".json")) {
      throw new FileFormatException(model + ": unknown model file type (expected a Keras .json config)");
    }
    if (weights == null) {
      throw new InvalidModelException(model + ": a JSON config holds no weights; give a weights file (.npz)");
    }
    KerasModelConfig config = KerasConfigReader.read(model);
    List<Tensor> values = readWeights(weights);
    Sequential architecture = config.architecture(values);
    try {
      return Model.of(architecture, values).withSource(model.getFileName() + " + " + weights.getFileName());
    } catch (InvalidModelException e) {
      throw new InvalidModelException(weights + ": weights do not fit " + model.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static List<Tensor> readWeights(Path weights) {
    String name = weights.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npz")) {
      return Npz.readList(weights);
    }
    throw new FileFormatException(weights + ": unknown weights file type (expected .npz)");
  }
}

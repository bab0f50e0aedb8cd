package org.rnn4j.cli;

import java.nio.file.Path;
import org.rnn4j.Model;
import org.rnn4j.keras.KerasModels;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --weights}: where the model comes from. */
final class ModelOptions {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "Keras model config (.json: model.to_json() or one serialized layer).")
  Path model;

  @Option(
      names = "--weights",
      paramLabel = "FILE",
      description = "Weights in get_weights() order (.npz written by np.savez(*model.get_weights())).")
  Path weights;

  Model load() {
    return KerasModels.load(model, weights);
  }
}

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
      description = "Keras model: .keras (Keras 3), .h5 (model.save() of Keras 1/2 or tf.keras), or a .json config"
          + " (model.to_json() or one serialized layer), which needs --weights.")
  Path model;

  @Option(
      names = "--weights",
      paramLabel = "FILE",
      description = "Weights: .npz of np.savez(*model.get_weights()), a save_weights() .h5, or a Keras 3 .weights.h5;"
          + " replaces the weights a model file holds.")
  Path weights;

  Model load() {
    return KerasModels.load(model, weights);
  }
}

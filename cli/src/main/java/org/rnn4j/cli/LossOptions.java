package org.rnn4j.cli;

import java.nio.file.Path;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Loss;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npy;
import picocli.CommandLine.Option;

/** {@code --target}, {@code --loss}, {@code --from-logits}: what gradients are taken of. */
final class LossOptions {
  @Option(names = "--target", paramLabel = "FILE",
      description = "Target array (.npy): the first output's shape; class ids (its shape without the last axis) for sparse_categorical_crossentropy.")
  Path target;

  @Option(names = "--loss", paramLabel = "LOSS",
      description = "Keras loss of the first output: mse, mae, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy.")
  String loss;

  @Option(names = "--from-logits", description = "The crossentropy takes the output as logits (Keras' from_logits=True).")
  boolean fromLogits;

  /** Whether gradients were asked for (both --target and --loss). */
  boolean given() {
    if ((target == null) != (loss == null)) {
      throw new InvalidInputException(target == null ? "--loss needs --target FILE" : "--target needs --loss LOSS");
    }
    if (fromLogits && loss == null) {
      throw new InvalidInputException("--from-logits needs --loss and --target");
    }
    return target != null;
  }

  Loss loss() {
    try {
      return Loss.of(loss, fromLogits);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("--loss: " + e.getMessage(), e);
    }
  }

  /** Runs {@code gradients}; a target that does not fit the model is reported with its file's name. */
  <T> T naming(java.util.function.Supplier<T> gradients) {
    try {
      return gradients.get();
    } catch (InvalidInputException e) {
      throw e.getMessage().startsWith("target ") ? new InvalidInputException(target + ": " + e.getMessage(), e) : e;
    }
  }

  Tensor target() {
    try {
      return Npy.read(target);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(e.getMessage().startsWith(target.toString()) ? e.getMessage() : target + ": " + e.getMessage(), e);
    }
  }
}

package org.rnn4j.cli;

import java.nio.file.Path;
import org.rnn4j.Call;
import org.rnn4j.Model;
import picocli.CommandLine.Option;

/** {@code --input}, {@code --initial-state}, {@code --mask}: the arrays of one call. */
final class CallOptions {
  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "Input array (.npy), (batch, time, features). run: repeat it to make several calls in sequence.")
  java.util.List<Path> inputs;

  @Option(names = "--initial-state", paramLabel = "FILE", description = "Initial states (.npz), Keras' flattened order.")
  Path initialState;

  @Option(names = "--mask", paramLabel = "FILE", description = "Per-step mask (.npy), (batch, time), non-zero = valid step.")
  Path mask;

  /** The single call of commands that take one input. */
  Call read(Model model) {
    return CallFiles.read(model, input(), initialState, mask);
  }

  Path input() {
    if (inputs.size() != 1) {
      throw new org.rnn4j.InvalidInputException("--input: this command takes one input, got " + inputs.size());
    }
    return inputs.get(0);
  }
}

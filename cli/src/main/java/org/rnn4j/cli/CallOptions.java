package org.rnn4j.cli;

import java.nio.file.Path;
import org.rnn4j.Call;
import org.rnn4j.Model;
import picocli.CommandLine.Option;

/** {@code --input}, {@code --initial-state}, {@code --mask}: the arrays of one call. */
final class CallOptions {
  @Option(names = "--input", required = true, paramLabel = "FILE", description = "Input array (.npy), (batch, time, features).")
  Path input;

  @Option(names = "--initial-state", paramLabel = "FILE", description = "Initial states (.npz), Keras' flattened order.")
  Path initialState;

  @Option(names = "--mask", paramLabel = "FILE", description = "Per-step mask (.npy), (batch, time), non-zero = valid step.")
  Path mask;

  Call read(Model model) {
    return CallFiles.read(model, input, initialState, mask);
  }
}

package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Call;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Model;
import picocli.CommandLine.Option;

/** {@code --input} or {@code --inputs}, {@code --initial-state}, {@code --mask}: the arrays of a call. */
final class CallOptions {
  @Option(names = "--input", paramLabel = "FILE",
      description = "Input array (.npy), (batch, time, features). run: repeat it to make several calls in sequence.")
  List<Path> inputs;

  @Option(names = "--inputs", split = ",", paramLabel = "FILE",
      description = "One .npy per model input, in the model's input order, for one call (models with several inputs).")
  List<Path> modelInputs;

  @Option(names = "--initial-state", paramLabel = "FILE", description = "Initial states (.npz), Keras' flattened order.")
  Path initialState;

  @Option(names = "--mask", paramLabel = "FILE", description = "Per-step mask (.npy), (batch, time), non-zero = valid step.")
  Path mask;

  /** The files of each call: one per {@code --input}, or all of {@code --inputs} for one call. */
  List<List<Path>> calls() {
    if ((inputs == null) == (modelInputs == null)) {
      throw new InvalidInputException(inputs == null
          ? "give the input with --input FILE (or --inputs A.npy,B.npy for a model with several inputs)"
          : "give either --input or --inputs, not both");
    }
    if (modelInputs != null) {
      return List.of(List.copyOf(modelInputs));
    }
    List<List<Path>> calls = new ArrayList<>();
    inputs.forEach(p -> calls.add(List.of(p)));
    return calls;
  }

  /** The single call of commands that take one call. */
  Call read(Model model) {
    return CallFiles.read(model, files(), initialState, mask);
  }

  /** The input files of the single call. */
  List<Path> files() {
    List<List<Path>> calls = calls();
    if (calls.size() != 1) {
      throw new InvalidInputException("--input: this command takes one input, got " + calls.size());
    }
    return calls.get(0);
  }
}

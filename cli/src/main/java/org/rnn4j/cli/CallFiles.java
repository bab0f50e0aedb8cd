package org.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Functional;
import org.rnn4j.Call;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidInputException;
import org.rnn4j.LayerStates;
import org.rnn4j.Mask;
import org.rnn4j.Model;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;

/** Reads a call's arrays from files and checks where outputs go, before any work is done. */
final class CallFiles {
  private CallFiles() {}

  /**
   * A call from an input {@code .npy}, an optional initial-state {@code .npz} and an optional mask
   * {@code .npy}, checked against the model part by part so that an error names the file at fault.
   */
  static Call read(Model model, List<Path> inputs, Path initialState, Path mask) {
    int expected = model.architecture().inputs().size();
    if (inputs.size() != expected) {
      throw new InvalidInputException((inputs.size() == 1 ? "--input" : "--inputs") + ": the model takes " + expected + " input"
          + (expected == 1 ? "" : "s") + (model.architecture() instanceof Functional f ? " " + f.inputNames() : "") + ", got "
          + inputs.size() + " file" + (inputs.size() == 1 ? "" : "s") + (expected > 1 ? " (give them with --inputs A.npy,B.npy,...)" : ""));
    }
    List<Tensor> arrays = new ArrayList<>();
    for (Path input : inputs) {
      try {
        arrays.add(Npy.read(input));
      } catch (InvalidInputException e) {
        throw new InvalidInputException(e.getMessage().startsWith(input.toString()) ? e.getMessage() : input + ": " + e.getMessage(), e);
      }
    }
    Path named = inputs.get(0);
    Call call = checked(model, named, () -> Call.of(arrays));
    if (initialState != null) {
      Call base = call;
      call = checked(model, initialState,
          () -> base.withInitialStates(LayerStates.split(model.architecture(), Npz.readList(initialState))));
    }
    if (mask != null) {
      Call base = call;
      call = checked(model, mask, () -> base.withMask(Mask.fromTensor(Npy.read(mask))));
    }
    return call;
  }

  private static Call checked(Model model, Path file, java.util.function.Supplier<Call> build) {
    try {
      Call call = build.get();
      model.check(call);
      return call;
    } catch (InvalidInputException e) {
      String msg = e.getMessage();
      throw new InvalidInputException(msg.startsWith(file.toString()) ? msg : file + ": " + msg, e);
    }
  }

  /** Fails early if {@code output} cannot be written: its directory must exist and be writable. */
  static void requireWritable(Path output, String option) {
    Path dir = output.toAbsolutePath().getParent();
    if (Files.isDirectory(output)) {
      throw new FileFormatException("cannot write " + option + " " + output + ": it is a directory");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw new FileFormatException("cannot write " + option + " " + output + ": directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir) || (Files.exists(output) && !Files.isWritable(output))) {
      throw new FileFormatException("cannot write " + option + " " + output + ": permission denied");
    }
  }
}

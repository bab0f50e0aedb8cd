package org.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rnn4j.Call;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidInputException;
import org.rnn4j.LayerStates;
import org.rnn4j.Mask;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;

/** Reads a call's arrays from files and checks where outputs go, before any work is done. */
final class CallFiles {
  private CallFiles() {}

  /** A call from an input {@code .npy}, an optional initial-state {@code .npz} and an optional mask {@code .npy}. */
  static Call read(Model model, Path input, Path initialState, Path mask) {
    Tensor x = Npy.read(input);
    Call call = Call.of(x);
    if (initialState != null) {
      List<Tensor> states = Npz.readList(initialState);
      try {
        call = call.withInitialStates(LayerStates.split(model.architecture(), states));
      } catch (InvalidInputException e) {
        throw new InvalidInputException(initialState + ": " + e.getMessage(), e);
      }
    }
    if (mask != null) {
      try {
        call = call.withMask(Mask.fromTensor(Npy.read(mask)));
      } catch (InvalidInputException e) {
        throw new InvalidInputException(mask + ": " + e.getMessage(), e);
      }
    }
    return call;
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

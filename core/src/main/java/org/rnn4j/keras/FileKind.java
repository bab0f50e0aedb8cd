package org.rnn4j.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.rnn4j.FileFormatException;

/** What a model or weights file is, from its first bytes (its name is only a hint). */
enum FileKind {
  JSON,
  ZIP,
  HDF5,
  NPY,
  UNKNOWN;

  private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /** What to say of a TensorFlow SavedModel, which holds its weights as a TensorFlow checkpoint. */
  static final String SAVED_MODEL = ": a TensorFlow SavedModel (tf.keras 2's model.save(directory)), which rnn4j does not read;"
      + " re-save the model from Python as .keras or .h5 (model.save(\"m.keras\"))";

  static FileKind of(Path file) {
    if (Files.isDirectory(file)) {
      throw new FileFormatException(file + (Files.exists(file.resolve("saved_model.pb")) ? SAVED_MODEL
          : ": a directory, not a model file (expected a .keras archive, an .h5 file or a .json config)"));
    }
    if (file.getFileName() != null && file.getFileName().toString().equals("saved_model.pb")) {
      throw new FileFormatException(file + SAVED_MODEL);
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(8);
    } catch (NoSuchFileException e) {
      throw new FileFormatException(file + ": no such file");
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (head.length >= 8 && java.util.Arrays.equals(head, HDF5_MAGIC)) {
      return HDF5;
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return ZIP;
    }
    if (head.length >= 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U') {
      return NPY;
    }
    for (byte b : head) {
      if (b == '{' || b == '[') {
        return JSON;
      }
      if (!Character.isWhitespace(b) && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) {
        break;
      }
    }
    return UNKNOWN;
  }
}

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

  static FileKind of(Path file) {
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

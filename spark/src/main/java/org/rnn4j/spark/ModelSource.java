package org.rnn4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.FileFormatException;

/**
 * What an executor needs to prepare a model, shipped to it once (as a broadcast): the bytes of
 * the model file (and of a separate weights file), the backend's name and options. Its key (a
 * SHA-256 of all of it) identifies the prepared model an executor keeps.
 */
public final class ModelSource implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] model;
  private final byte[] weights;
  private final String backend;
  private final TreeMap<String, String> options;
  private final String key;

  private ModelSource(byte[] model, byte[] weights, String backend, Map<String, String> options) {
    this.model = model;
    this.weights = weights;
    this.backend = backend;
    this.options = new TreeMap<>(options);
    this.key = digest();
  }

  /**
   * Reads a model file (and a weights file, or null) for {@code backend}.
   *
   * @throws FileFormatException naming the file that cannot be read
   */
  public static ModelSource read(Path modelFile, Path weightsFile, String backend, Map<String, String> options) {
    return new ModelSource(bytes(modelFile), weightsFile == null ? null : bytes(weightsFile), backend, options);
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private String digest() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(model);
      md.update((byte) 0);
      if (weights != null) {
        md.update(weights);
      }
      md.update((byte) 0);
      md.update((backend + options).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Identifies the model, its weights, the backend and its options. */
  public String key() {
    return key;
  }

  public String backend() {
    return backend;
  }

  public Map<String, String> options() {
    return java.util.Collections.unmodifiableMap(options);
  }

  /** Writes the files into {@code dir}; returns the model file and the weights file (or null). */
  Path[] writeTo(Path dir) {
    try {
      Path m = Files.write(dir.resolve("model"), model);
      Path w = weights == null ? null : Files.write(dir.resolve("weights"), weights);
      return new Path[] {m, w};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

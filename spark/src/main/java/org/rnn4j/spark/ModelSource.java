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

  /** The model, read from the shipped bytes (through a temporary folder, removed afterwards: the readers take files). */
  public org.rnn4j.Model load() {
    Path dir;
    try {
      dir = Files.createTempDirectory("rnn4j-model-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Path m = Files.write(dir.resolve("model"), model);
      Path w = weights == null ? null : Files.write(dir.resolve("weights"), weights);
      return org.rnn4j.keras.KerasModels.load(m, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary folder left behind is harmless
      }
    }
  }
}

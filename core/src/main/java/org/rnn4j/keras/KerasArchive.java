package org.rnn4j.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.rnn4j.FileFormatException;
import org.rnn4j.ResourceLimitException;

/**
 * A Keras 3 {@code .keras} file: a zip of {@code config.json} (the model), {@code metadata.json}
 * (with {@code keras_version}) and {@code model.weights.h5} (the weights in Keras 3's layout).
 */
final class KerasArchive {
  /** The most entries an archive may have. */
  static final int MAX_ENTRIES = 10_000;
  /** The largest entry read, uncompressed. */
  static final long MAX_ENTRY_BYTES = 2L << 30;

  final String config;
  final KerasVersion version;
  final byte[] weights;

  private KerasArchive(String config, KerasVersion version, byte[] weights) {
    this.config = config;
    this.version = version;
    this.weights = weights;
  }

  static KerasArchive read(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Map<String, ZipEntry> entries = new HashMap<>();
      Enumeration<? extends ZipEntry> e = zip.entries();
      while (e.hasMoreElements()) {
        ZipEntry z = e.nextElement();
        if (entries.size() >= MAX_ENTRIES) {
          throw new ResourceLimitException(file + ": more than " + MAX_ENTRIES + " zip entries");
        }
        entries.put(z.getName(), z);
      }
      String config = text(zip, entries, "config.json", file);
      String metadata = entries.containsKey("metadata.json") ? text(zip, entries, "metadata.json", file) : null;
      byte[] weights = bytes(zip, entries, "model.weights.h5", file);
      return new KerasArchive(config, version(metadata, file), weights);
    } catch (ZipException ex) {
      throw new FileFormatException(file + ": not a valid .keras (zip) archive: " + ex.getMessage(), ex);
    } catch (IOException ex) {
      throw new FileFormatException(file + ": cannot read: " + ex.getMessage(), ex);
    }
  }

  private static KerasVersion version(String metadata, Path file) {
    if (metadata == null) {
      return null;
    }
    JsonNode m = KerasConfigReader.parseJson(metadata, file + "[metadata.json]");
    JsonNode v = m.get("keras_version");
    return v != null && v.isTextual() ? KerasVersion.parse(v.textValue()) : null;
  }

  private static String text(ZipFile zip, Map<String, ZipEntry> entries, String name, Path file) throws IOException {
    return new String(bytes(zip, entries, name, file), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ZipFile zip, Map<String, ZipEntry> entries, String name, Path file) throws IOException {
    ZipEntry z = entries.get(name);
    if (z == null) {
      throw new FileFormatException(file + ": .keras archive has no '" + name + "' (entries: " + entries.keySet() + ")");
    }
    if (z.getSize() > MAX_ENTRY_BYTES) {
      throw new ResourceLimitException(file + "[" + name + "]: " + z.getSize() + " bytes uncompressed, more than " + MAX_ENTRY_BYTES);
    }
    try (InputStream in = zip.getInputStream(z)) {
      byte[] b = in.readNBytes((int) Math.min(MAX_ENTRY_BYTES, Integer.MAX_VALUE - 8) );
      if (in.read() >= 0) {
        throw new ResourceLimitException(file + "[" + name + "]: larger than " + MAX_ENTRY_BYTES + " bytes uncompressed");
      }
      return b;
    } catch (ZipException ex) {
      throw new FileFormatException(file + "[" + name + "]: corrupt zip entry: " + ex.getMessage(), ex);
    }
  }
}

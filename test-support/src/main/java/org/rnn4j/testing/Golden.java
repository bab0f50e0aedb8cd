package org.rnn4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rnn4j.Tensor;

/** Access to the golden files under {@code /golden} on the class path. */
public final class Golden {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Golden() {}

  /** A golden resource's text. */
  public static String text(String path) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing golden resource /golden/" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A golden resource parsed as JSON. */
  public static JsonNode json(String path) {
    try {
      return JSON.readTree(text(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A golden resource as a file path (resources are unpacked in the build's classes folder). */
  public static Path file(String path) {
    URL url = Golden.class.getResource("/golden/" + path);
    if (url == null) {
      throw new IllegalStateException("missing golden resource /golden/" + path);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException | java.nio.file.FileSystemNotFoundException e) {
      throw new IllegalStateException("golden resource " + path + " is not a file: " + url, e);
    }
  }

  /** A tensor from keras-js' {@code {"data": [...], "shape": [...]}} form. */
  public static Tensor tensor(JsonNode node) {
    JsonNode data = node.get("data");
    JsonNode shape = node.get("shape");
    float[] d = new float[data.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) data.get(i).asDouble();
    }
    int[] s = new int[shape.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = shape.get(i).asInt();
    }
    return Tensor.of(s, d);
  }

  /** A tensor of {@code shape} holding 0, 1, 2, ... (NumPy's {@code arange(n).reshape(shape)}). */
  public static Tensor arange(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = i;
    }
    return Tensor.of(shape, d);
  }
}

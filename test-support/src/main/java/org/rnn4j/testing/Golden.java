package org.rnn4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;

/** Access to the golden files under {@code /golden} on the class path. */
public final class Golden {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Golden() {}

  /** A golden resource's text. */
  public static String text(String path) {
    return GoldenFiles.text("golden/" + path);
  }

  /** A golden resource parsed as JSON. */
  public static JsonNode json(String path) {
    try {
      return JSON.readTree(text(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A golden resource as a file path. */
  public static Path file(String path) {
    return GoldenFiles.path("golden/" + path);
  }

  /** A fixture (a file built from the golden data, under {@code /fixtures}) as a file path. */
  public static Path fixture(String path) {
    return GoldenFiles.path("fixtures/" + path);
  }

  /** A fixture with the named files of its folder beside it (a model.json and its weight shards). */
  public static Path fixture(String path, String... siblings) {
    return GoldenFiles.path("fixtures/" + path, siblings);
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

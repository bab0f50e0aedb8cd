package org.rnn4j.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The golden data ({@code /golden/...}) and fixtures ({@code /fixtures/...}) on the class path, as
 * text or as files. Resources packed in a jar are copied once to a temporary folder, so readers
 * that need a file path get one wherever the data lives.
 */
public final class GoldenFiles {
  private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

  private GoldenFiles() {}

  /** A resource's text, e.g. {@code text("golden/keras-js/LSTM.json")}. */
  public static String text(String resource) {
    try (InputStream in = stream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A resource as a file path, e.g. {@code path("golden/dl4j/fullconfigs/lstm/predictions.npy")}. */
  public static Path path(String resource) {
    URL url = url(resource);
    if ("file".equals(url.getProtocol())) {
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return EXTRACTED.computeIfAbsent(resource, GoldenFiles::extract);
  }

  /**
   * A resource as a file path with the named files of its folder beside it (a model.json and its
   * weight shards), e.g. {@code path("fixtures/tfjs/m/model.json", "group1-shard1of1.bin")}.
   */
  public static Path path(String resource, String... siblings) {
    if ("file".equals(url(resource).getProtocol())) {
      return path(resource);
    }
    return EXTRACTED.computeIfAbsent(resource + "|" + String.join("|", siblings), k -> extract(resource, siblings));
  }

  private static Path extract(String resource, String... siblings) {
    try {
      Path dir = Files.createTempDirectory("rnn4j-golden");
      dir.toFile().deleteOnExit();
      String folder = resource.substring(0, resource.lastIndexOf('/') + 1);
      Path file = copy(resource, dir);
      for (String sibling : siblings) {
        copy(folder + sibling, dir);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path copy(String resource, Path dir) throws IOException {
    Path file = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = stream(resource)) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    file.toFile().deleteOnExit();
    return file;
  }

  private static InputStream stream(String resource) {
    InputStream in = GoldenFiles.class.getResourceAsStream("/" + resource);
    if (in == null) {
      throw new IllegalStateException("missing resource /" + resource);
    }
    return in;
  }

  private static URL url(String resource) {
    URL url = GoldenFiles.class.getResource("/" + resource);
    if (url == null) {
      throw new IllegalStateException("missing resource /" + resource);
    }
    return url;
  }
}

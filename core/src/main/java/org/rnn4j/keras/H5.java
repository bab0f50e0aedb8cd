package org.rnn4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.FileFormatException;
import org.rnn4j.Tensor;

/**
 * Checked access to HDF5 files through jHDF: every missing or wrongly typed group, dataset or
 * attribute, and every malformed file, becomes a {@link FileFormatException} naming the file and
 * the path inside it.
 */
final class H5 {
  private H5() {}

  static HdfFile open(Path file, org.rnn4j.Limits.Budget budget) {
    return org.rnn4j.io.Hdf5Arrays.open(file, budget);
  }

  static HdfFile open(byte[] bytes, String source) {
    return org.rnn4j.io.Hdf5Arrays.open(bytes, source);
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  /** Runs HDF5 reading code, turning failures inside jHDF into file errors naming {@code source}. */
  static <T> T guard(String source, java.util.function.Supplier<T> body) {
    return org.rnn4j.io.Hdf5Arrays.guard(source, body);
  }

  /** The child group at {@code path} (slash-separated). */
  static Group group(Group parent, String path, String source) {
    Node n = child(parent, path, source);
    if (!(n instanceof Group g)) {
      throw new FileFormatException(source + ": '" + fullPath(parent, path) + "' is not a group");
    }
    return g;
  }

  /** Whether a child exists at {@code path}. */
  static boolean has(Group parent, String path) {
    try {
      return parent.getByPath(path) != null;
    } catch (HdfException | IllegalArgumentException e) {
      return false;
    }
  }

  private static Node child(Group parent, String path, String source) {
    try {
      Node n = parent.getByPath(path);
      if (n == null) {
        throw new FileFormatException(source + ": missing '" + fullPath(parent, path) + "'");
      }
      return n;
    } catch (HdfException | IllegalArgumentException e) {
      throw new FileFormatException(source + ": missing '" + fullPath(parent, path) + "'", e);
    }
  }

  private static String fullPath(Group parent, String path) {
    String p = parent.getPath();
    return (p.isEmpty() || p.equals("/") ? "/" : p.endsWith("/") ? p : p + "/") + path;
  }

  /** A string attribute, or null when absent. */
  static String string(Node node, String name, String source) {
    Attribute a = node.getAttribute(name);
    if (a == null) {
      return null;
    }
    Object data = read(a, node, name, source);
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof String[] arr && arr.length == 1) {
      return arr[0];
    }
    if (data instanceof byte[] bytes) {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
    throw new FileFormatException(source + ": attribute '" + name + "' of '" + node.getPath() + "' is not a string");
  }

  /**
   * A list-of-strings attribute ({@code layer_names}, {@code weight_names}); Keras splits long ones
   * into {@code name0}, {@code name1}, ..., which are joined. Null when absent.
   */
  static List<String> strings(Node node, String name, String source) {
    if (node.getAttribute(name) != null) {
      return stringList(node, name, source);
    }
    if (node.getAttribute(name + "0") == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; node.getAttribute(name + i) != null; i++) {
      out.addAll(stringList(node, name + i, source));
    }
    return out;
  }

  private static List<String> stringList(Node node, String name, String source) {
    Attribute attribute = node.getAttribute(name);
    List<String> out = new ArrayList<>();
    if (attribute.isEmpty()) {
      return out; // an empty list (a layer without weights), stored as an empty array
    }
    Object data = read(attribute, node, name, source);
    if (data instanceof String s) {
      out.add(s);
    } else if (data != null && data.getClass().isArray() && data.getClass().getComponentType() == String.class) {
      for (String s : (String[]) data) {
        out.add(s);
      }
    } else if (data != null && data.getClass().isArray() && java.lang.reflect.Array.getLength(data) == 0) {
      // an empty list (a layer without weights)
    } else {
      throw new FileFormatException(source + ": attribute '" + name + "' of '" + node.getPath() + "' is not a list of strings");
    }
    return out;
  }

  /** The largest attribute read: the JSON of a model config, a list of layer or weight names. */
  static long maxAttributeBytes() {
    return org.rnn4j.Limits.current().jsonBytes();
  }

  private static Object read(Attribute a, Node node, String name, String source) {
    long bytes = a.getSizeInBytes();
    if (bytes < 0 || bytes > maxAttributeBytes()) {
      throw new org.rnn4j.ResourceLimitException(source + ": attribute '" + name + "' of '" + node.getPath() + "' holds "
          + org.rnn4j.Limits.formatBytes(bytes) + ", more than the " + org.rnn4j.Limits.formatBytes(maxAttributeBytes())
          + " allowed (limit rnn4j.limits.jsonBytes)");
    }
    try {
      return a.getData();
    } catch (HdfException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new FileFormatException(source + ": cannot read attribute '" + name + "' of '" + node.getPath() + "': " + message(e), e);
    }
  }

  /**
   * The most values a weight dataset of a layer with {@code layerValues} weight values may hold
   * before it is refused unread: a file for a somewhat different model still gets the message that
   * names both shapes, a file far larger than the model implies is not read at all.
   */
  static long plausibleValues(long layerValues) {
    return 64 * layerValues + 4096;
  }

  /**
   * A numeric dataset as a float32 tensor (float16/64 and integers converted as Keras converts
   * them), refused unread if it holds more than {@code maxElements} values or the budget allows.
   */
  static Tensor tensor(Group parent, String path, String source, org.rnn4j.Limits.Budget budget, long maxElements) {
    return org.rnn4j.io.Hdf5Arrays.read(parent, path, source, budget, maxElements);
  }
}

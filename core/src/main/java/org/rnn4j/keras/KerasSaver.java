package org.rnn4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Limits;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npz;

/**
 * Writes a model's weights back in the formats Keras reads:
 *
 * <ul>
 *   <li>{@code .npz}: {@code arr_0}, {@code arr_1}, ... in {@code get_weights()} order (what {@code
 *       np.savez(path, *model.get_weights())} writes; {@code model.set_weights(list(np.load(path).values()))}
 *       reads it);
 *   <li>{@code .weights.h5}: Keras 3's object-path layout ({@code layers/lstm/cell/vars/0}, a
 *       {@code vars} group named after each object), read by {@code model.load_weights};
 *   <li>{@code .keras}: a Keras 3 archive ({@code metadata.json}, {@code config.json}, {@code
 *       model.weights.h5}) whose config is the one of the {@code .keras} file the model was loaded
 *       from (training changes weights, not the architecture).
 * </ul>
 */
public final class KerasSaver {
  private KerasSaver() {}

  /**
   * Writes {@code model}'s weights to {@code out} in the format its name ends with ({@code .npz},
   * {@code .weights.h5}, {@code .keras}); a {@code .keras} output takes its config from {@code
   * template}, the {@code .keras} file the model came from (may be null for the other formats).
   *
   * @throws IllegalArgumentException for another file name ending
   * @throws InvalidModelException if a {@code .keras} output has no Keras 3 archive to take its config from
   */
  public static void save(Model model, Path out, Path template) {
    String name = out.getFileName().toString();
    if (name.endsWith(".npz")) {
      Npz.writeList(out, model.weights().values());
    } else if (name.endsWith(".weights.h5")) {
      writeWeightsH5(model, out);
    } else if (name.endsWith(".keras")) {
      writeKeras(model, template, out);
    } else {
      throw new IllegalArgumentException(out + ": unknown output format (expected a name ending .npz, .weights.h5 or .keras)");
    }
  }

  /** Writes Keras 3's {@code .weights.h5} layout. */
  public static void writeWeightsH5(Model model, Path out) {
    List<String> varPaths = ObjectPathWeights.varPaths(model.architecture());
    Map<String, String> objects = ObjectPathWeights.objects(model.architecture());
    List<Tensor> values = model.weights().values();
    GroupNode root = new GroupNode();
    for (Map.Entry<String, String> o : objects.entrySet()) {
      // the model's own (always empty) vars group is left out: jHDF 0.13 writes an unreadable file
      // when the root holds a group named "vars"; Keras finds no variables of the model itself either way
      if (!o.getKey().isEmpty()) {
        root.at(o.getKey() + "/vars").name = o.getValue();
      }
    }
    for (int i = 0; i < varPaths.size(); i++) {
      String p = varPaths.get(i);
      int slash = p.lastIndexOf('/');
      root.at(p.substring(0, slash)).datasets.put(p.substring(slash + 1), values.get(i));
    }
    try {
      Files.deleteIfExists(out);
    } catch (IOException e) {
      throw new UncheckedIOException(out + ": cannot replace: " + e.getMessage(), e);
    }
    try (WritableHdfFile h5 = HdfFile.write(out)) {
      root.children.forEach((name, child) -> child.write(h5.putGroup(name)));
    }
  }

  /**
   * A group to write: its name attribute, datasets and child groups. Written depth first, each
   * group complete before the next is made (jHDF lays a group out when its next sibling starts).
   */
  private static final class GroupNode {
    String name;
    final Map<String, Tensor> datasets = new java.util.LinkedHashMap<>();
    final Map<String, GroupNode> children = new java.util.LinkedHashMap<>();

    GroupNode at(String path) {
      GroupNode g = this;
      for (String part : path.split("/")) {
        g = g.children.computeIfAbsent(part, k -> new GroupNode());
      }
      return g;
    }

    void write(WritableGroup group) {
      if (name != null) {
        group.putAttribute("name", name);
      }
      datasets.forEach((k, t) -> group.putDataset(k, nested(t)));
      children.forEach((k, child) -> child.write(group.putGroup(k)));
    }
  }

  /** A tensor as the nested Java array (or boxed scalar) jHDF writes as a float32 dataset of its shape. */
  private static Object nested(Tensor t) {
    float[] data = t.toArray();
    if (t.rank() == 0) {
      return data[0];
    }
    int[] shape = t.shape();
    Object array = Array.newInstance(float.class, shape);
    fill(array, shape, 0, data, 0);
    return array;
  }

  private static int fill(Object array, int[] shape, int axis, float[] data, int pos) {
    if (axis == shape.length - 1) {
      System.arraycopy(data, pos, array, 0, shape[axis]);
      return pos + shape[axis];
    }
    for (int i = 0; i < shape[axis]; i++) {
      pos = fill(Array.get(array, i), shape, axis + 1, data, pos);
    }
    return pos;
  }

  /** Writes a Keras 3 archive with {@code template}'s config and {@code model}'s weights. */
  public static void writeKeras(Model model, Path template, Path out) {
    if (template == null || FileKind.of(template) != FileKind.ZIP) {
      throw new InvalidModelException(out + ": a .keras output keeps the config of the .keras file the model came from"
          + (template == null ? "" : ", but " + template + " is not one") + "; write .weights.h5 or .npz instead");
    }
    KerasArchive archive = KerasArchive.read(template, Limits.current().budget(template.toString()));
    if (archive.version == null || archive.version.major() < 3) {
      throw new InvalidModelException(out + ": " + template + " is not a Keras 3 archive (keras_version "
          + archive.version + "); write .weights.h5 or .npz instead");
    }
    String metadata = "{\"keras_version\": \"" + archive.version + "\", \"date_saved\": \""
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")) + "\"}";
    Path weights = null;
    try {
      weights = Files.createTempFile("rnn4j-", ".weights.h5");
      writeWeightsH5(model, weights);
      try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
        entry(zip, "metadata.json", metadata.getBytes(StandardCharsets.UTF_8));
        entry(zip, "config.json", archive.config.getBytes(StandardCharsets.UTF_8));
        entry(zip, "model.weights.h5", Files.readAllBytes(weights));
      }
    } catch (IOException e) {
      throw new FileFormatException(out + ": cannot write: " + e.getMessage(), e);
    } finally {
      if (weights != null) {
        try {
          Files.deleteIfExists(weights);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }
}

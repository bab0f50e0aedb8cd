package org.rnn4j.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.rnn4j.FileFormatException;
import org.rnn4j.Limits;
import org.rnn4j.ResourceLimitException;
import org.rnn4j.Tensor;

/**
 * NumPy {@code .npz} archives ({@code np.savez}, {@code np.savez_compressed}): a zip of {@code
 * .npy} files, one per key. {@code np.savez(*arrays)} names them {@code arr_0}, {@code arr_1},
 * ...; {@link #readList} returns those in index order.
 */
public final class Npz {
  private static final Pattern POSITIONAL = Pattern.compile("arr_(\\d+)");

  private Npz() {}

  /**
   * Reads every array, keyed by name (the entry name without {@code .npy}), in archive order.
   *
   * @throws FileFormatException naming the file and entry if anything is malformed
   * @throws ResourceLimitException if the archive exceeds the {@link Limits#current() current limits}
   */
  public static Map<String, Tensor> read(Path file) {
    return read(file, Limits.current());
  }

  /** As {@link #read(Path)}, within {@code limits} (one memory budget for the whole archive). */
  public static Map<String, Tensor> read(Path file, Limits limits) {
    return read(file, limits.budget(file.toString()));
  }

  /** As {@link #read(Path)}, drawing on a budget shared with other reads of the same load. */
  public static Map<String, Tensor> read(Path file, Limits.Budget budget) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (ZipArchive zip = ZipArchive.open(file, ".npz", budget)) {
      for (String name : zip.names()) {
        if (zip.isDirectory(name)) {
          continue;
        }
        if (!name.endsWith(".npy")) {
          throw new FileFormatException(file + ": entry '" + name + "' is not a .npy array");
        }
        byte[] bytes = zip.read(name);
        try {
          out.put(name.substring(0, name.length() - 4),
              Npy.read(new ByteArrayInputStream(bytes), bytes.length, zip.source(name), budget));
        } catch (IOException e) {
          throw new FileFormatException(zip.source(name) + ": cannot read: " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  /**
   * Reads the arrays of {@code np.savez(*arrays)} in positional order ({@code arr_0}, {@code
   * arr_1}, ...); archives with other keys are returned in archive order.
   */
  public static List<Tensor> readList(Path file) {
    return readList(file, Limits.current());
  }

  /** As {@link #readList(Path)}, within {@code limits}. */
  public static List<Tensor> readList(Path file, Limits limits) {
    return readList(file, limits.budget(file.toString()));
  }

  /** As {@link #readList(Path)}, drawing on a budget shared with other reads of the same load. */
  public static List<Tensor> readList(Path file, Limits.Budget budget) {
    Map<String, Tensor> all = read(file, budget);
    boolean positional = all.keySet().stream().allMatch(k -> POSITIONAL.matcher(k).matches());
    if (!positional) {
      return new ArrayList<>(all.values());
    }
    Tensor[] ordered = new Tensor[all.size()];
    for (Map.Entry<String, Tensor> e : all.entrySet()) {
      Matcher m = POSITIONAL.matcher(e.getKey());
      m.matches();
      int index = Integer.parseInt(m.group(1));
      if (index >= ordered.length || ordered[index] != null) {
        throw new FileFormatException(
            file + ": positional arrays are not arr_0 .. arr_" + (ordered.length - 1) + " (found " + all.keySet() + ")");
      }
      ordered[index] = e.getValue();
    }
    return List.of(ordered);
  }

  /**
   * Writes arrays under their keys (entries {@code key.npy}, deflated).
   *
   * @throws FileFormatException naming the file if it cannot be written
   */
  public static void write(Path file, Map<String, Tensor> arrays) {
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        zip.write(Npy.toBytes(e.getValue()));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** Writes arrays as {@code np.savez(*arrays)} would name them: {@code arr_0}, {@code arr_1}, ... */
  public static void writeList(Path file, List<Tensor> arrays) {
    Map<String, Tensor> named = new LinkedHashMap<>();
    for (int i = 0; i < arrays.size(); i++) {
      named.put("arr_" + i, arrays.get(i));
    }
    write(file, named);
  }
}

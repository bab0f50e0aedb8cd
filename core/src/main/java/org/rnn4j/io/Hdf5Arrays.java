package org.rnn4j.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.rnn4j.FileFormatException;
import org.rnn4j.Limits;
import org.rnn4j.ResourceLimitException;
import org.rnn4j.Rnn4jException;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;

/**
 * Numeric datasets of HDF5 files as float32 tensors (float16/64 and integers converted as Keras
 * converts them), read with the pure-Java jHDF library. Every problem is a {@link
 * FileFormatException} naming the file and the dataset; a dataset's size is checked against the
 * memory budget (and what the caller expects) before its data is read.
 */
public final class Hdf5Arrays {
  private Hdf5Arrays() {}

  /** Reads dataset {@code path} (e.g. {@code predictions/dense_1}) of an HDF5 file. */
  public static Tensor read(Path file, String path) {
    return read(file, path, Limits.current());
  }

  /** As {@link #read(Path, String)}, within {@code limits}. */
  public static Tensor read(Path file, String path, Limits limits) {
    String source = file.toString();
    Limits.Budget budget = limits.budget(source);
    try (HdfFile h5 = open(file, budget)) {
      return guard(source, () -> read(h5, path, source, budget, Long.MAX_VALUE));
    }
  }

  /** Opens an HDF5 file within the current limits, refusing anything that is not one. */
  public static HdfFile open(Path file) {
    return open(file, Limits.current().budget(file.toString()));
  }

  /**
   * Opens an HDF5 file, refusing anything that is not one. The file is read into memory (its size
   * reserved from {@code budget}) and parsed from there: a corrupt file can send the parser around
   * the same structures many times, which from memory costs little but from disk one read each.
   */
  public static HdfFile open(Path file, Limits.Budget budget) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > Integer.MAX_VALUE - 8) {
        throw new ResourceLimitException(file + ": HDF5 file of " + Limits.formatBytes(size) + ", more than rnn4j reads into memory");
      }
      budget.reserve(size, "HDF5 file");
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new FileFormatException(file + ": no such file");
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
    return open(bytes, file.toString());
  }

  /** Opens HDF5 content held in memory (a zip entry, say). */
  public static HdfFile open(byte[] bytes, String source) {
    return guard(source, () -> HdfFile.fromBytes(bytes));
  }

  /**
   * Runs code that reads an HDF5 file through jHDF, turning a failure inside jHDF (which a
   * malformed file can provoke in many ways: its own exceptions, but also buffer underflows or
   * negative sizes) into a {@link FileFormatException} naming {@code source}. Failures of rnn4j's
   * own code pass through unchanged.
   */
  public static <T> T guard(String source, Supplier<T> body) {
    try {
      return body.get();
    } catch (Rnn4jException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      if (!thrownByReader(e)) {
        throw e;
      }
      throw new FileFormatException(source + ": not a readable HDF5 file: " + message(e), e);
    }
  }

  /** Whether the failure arose inside jHDF (or the JDK beneath it) rather than in rnn4j. */
  private static boolean thrownByReader(Throwable e) {
    for (StackTraceElement f : e.getStackTrace()) {
      if (f.getClassName().startsWith("io.jhdf.")) {
        return true;
      }
      if (f.getClassName().startsWith("org.rnn4j.")) {
        return false;
      }
    }
    return false;
  }

  /**
   * Reads dataset {@code path} of an open file, reserving its memory from {@code budget} first.
   *
   * @param source names the file in messages
   * @param maxElements the most values the caller can use (a weight, say); a larger dataset is
   *     refused before it is read
   */
  public static Tensor read(io.jhdf.api.Group parent, String path, String source, Limits.Budget budget, long maxElements) {
    Node n;
    try {
      n = parent.getByPath(path);
    } catch (RuntimeException e) {
      n = null;
    }
    if (n == null) {
      throw new FileFormatException(source + ": missing '" + path + "'");
    }
    if (!(n instanceof Dataset ds)) {
      throw new FileFormatException(source + ": '" + n.getPath() + "' is not a dataset");
    }
    long[] dims = ds.getDimensionsAsLong();
    long count = 1;
    for (long d : dims) {
      if (d < 0 || d > Integer.MAX_VALUE || (d > 0 && count > (Integer.MAX_VALUE - 8) / d)) {
        throw new FileFormatException(source + ": dataset '" + n.getPath() + "' has an invalid or too large shape " + java.util.Arrays.toString(dims));
      }
      count *= d;
    }
    if (count > maxElements) {
      throw new FileFormatException(
          source + ": dataset '" + n.getPath() + "' holds " + count + " values, far more than the model implies there (at most "
              + maxElements + "); refused unread");
    }
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = (int) dims[i];
    }
    Class<?> type = ds.getJavaType();
    int width = type == double.class || type == long.class ? 8 : type == float.class || type == int.class ? 4 : type == short.class ? 2 : 1;
    budget.reserve(count * (width + 4L), "dataset '" + n.getPath() + "' " + Shapes.format(shape));
    Object flat = ds.isScalar() ? ds.getData() : ds.getDataFlat();
    float[] values = floats(flat, source, n.getPath());
    if (values.length != count) {
      throw new FileFormatException(
          source + ": dataset '" + n.getPath() + "' holds " + values.length + " values for shape " + Shapes.format(shape));
    }
    return Tensor.wrap(shape, values);
  }

  private static float[] floats(Object flat, String source, String path) {
    if (flat instanceof float[] f) {
      return f;
    }
    if (flat instanceof double[] d) {
      float[] out = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        out[i] = (float) d[i];
      }
      return out;
    }
    if (flat instanceof Number x) {
      return new float[] {x.floatValue()};
    }
    if (flat != null && flat.getClass().isArray() && flat.getClass().getComponentType().isPrimitive()
        && flat.getClass().getComponentType() != boolean.class && flat.getClass().getComponentType() != char.class) {
      int n = Array.getLength(flat);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = ((Number) Array.get(flat, i)).floatValue();
      }
      return out;
    }
    throw new FileFormatException(
        source + ": dataset '" + path + "' is not numeric (" + (flat == null ? "empty" : flat.getClass().getSimpleName()) + ")");
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    String first = m == null ? "" : m.lines().findFirst().orElse(m);
    return first.isEmpty() ? e.getClass().getSimpleName() : first;
  }
}

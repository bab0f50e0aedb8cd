package org.rnn4j.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import org.rnn4j.FileFormatException;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;

/**
 * Numeric datasets of HDF5 files as float32 tensors (float16/64 and integers converted as Keras
 * converts them), read with the pure-Java jHDF library. Every problem is a {@link
 * FileFormatException} naming the file and the dataset.
 */
public final class Hdf5Arrays {
  private Hdf5Arrays() {}

  /** Reads dataset {@code path} (e.g. {@code predictions/dense_1}) of an HDF5 file. */
  public static Tensor read(Path file, String path) {
    try (HdfFile h5 = open(file)) {
      return read(h5, path, file.toString());
    }
  }

  /** Opens an HDF5 file, refusing anything that is not one. */
  public static HdfFile open(Path file) {
    if (!java.nio.file.Files.exists(file)) {
      throw new FileFormatException(file + ": no such file");
    }
    try {
      return new HdfFile(file);
    } catch (HdfException | IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
      throw new FileFormatException(file + ": not a readable HDF5 file: " + message(e), e);
    }
  }

  /** Opens HDF5 content held in memory (a zip entry, say). */
  public static HdfFile open(byte[] bytes, String source) {
    try {
      return HdfFile.fromBytes(bytes);
    } catch (HdfException | IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
      throw new FileFormatException(source + ": not a readable HDF5 file: " + message(e), e);
    }
  }

  /** Reads dataset {@code path} of an open file; {@code source} names the file in messages. */
  public static Tensor read(io.jhdf.api.Group parent, String path, String source) {
    Node n;
    try {
      n = parent.getByPath(path);
    } catch (HdfException | IllegalArgumentException e) {
      n = null;
    }
    if (n == null) {
      throw new FileFormatException(source + ": missing '" + path + "'");
    }
    if (!(n instanceof Dataset ds)) {
      throw new FileFormatException(source + ": '" + n.getPath() + "' is not a dataset");
    }
    int[] shape = ds.getDimensions();
    int count;
    try {
      count = Shapes.elementCount(shape);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(source + ": dataset '" + n.getPath() + "' has an invalid shape: " + e.getMessage());
    }
    Object flat;
    try {
      flat = ds.isScalar() ? ds.getData() : ds.getDataFlat();
    } catch (HdfException | IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
      throw new FileFormatException(source + ": cannot read dataset '" + n.getPath() + "': " + message(e), e);
    }
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
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}

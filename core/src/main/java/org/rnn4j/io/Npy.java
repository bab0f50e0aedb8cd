package org.rnn4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.rnn4j.FileFormatException;
import org.rnn4j.Limits;
import org.rnn4j.ResourceLimitException;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;

/**
 * NumPy {@code .npy} arrays ({@code np.save}): versions 1.0 to 3.0, little- and big-endian, C and
 * Fortran order, float16/32/64, integer and bool dtypes (converted to float32). Every declared
 * size is checked against what the file holds before anything is allocated. rnn4j writes
 * little-endian float32 in C order, version 1.0.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private Npy() {}

  /**
   * Reads an array file.
   *
   * @throws FileFormatException naming the file if it is missing, unreadable or malformed
   */
  public static Tensor read(Path file) {
    return read(file, Limits.current());
  }

  /**
   * Reads an array file within {@code limits}.
   *
   * @throws FileFormatException naming the file if it is missing, unreadable or malformed
   * @throws ResourceLimitException if the array would exceed the memory limit
   */
  public static Tensor read(Path file, Limits limits) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, Files.size(file), file.toString(), limits.budget(file.toString()));
    } catch (NoSuchFileException e) {
      throw new FileFormatException(file + ": no such file");
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an array from a stream.
   *
   * @param available the number of bytes the stream holds, or -1 if unknown
   * @param source the name to use in messages
   */
  public static Tensor read(InputStream in, long available, String source) throws IOException {
    return read(in, available, source, Limits.current().budget(source));
  }

  /**
   * Reads an array from a stream, reserving its memory (the file's data and the float32 result)
   * from {@code budget} before allocating it.
   *
   * @param available the number of bytes the stream holds, or -1 if unknown
   * @param source the name to use in messages
   */
  public static Tensor read(InputStream in, long available, String source, Limits.Budget budget) throws IOException {
    byte[] magic = readExactly(in, 8, source, "magic string");
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw NpyHeader.bad(source, "missing the \\x93NUMPY magic string");
      }
    }
    int major = magic[6] & 0xff;
    int headerLength;
    int prefix;
    if (major == 1) {
      byte[] len = readExactly(in, 2, source, "header length");
      headerLength = (len[0] & 0xff) | ((len[1] & 0xff) << 8);
      prefix = 10;
    } else if (major == 2 || major == 3) {
      byte[] len = readExactly(in, 4, source, "header length");
      long l = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
      if (l > 1 << 20) {
        throw NpyHeader.bad(source, "header length " + l + " is implausibly large");
      }
      headerLength = (int) l;
      prefix = 12;
    } else {
      throw NpyHeader.bad(source, "unsupported format version " + major + "." + (magic[7] & 0xff));
    }
    if (available >= 0 && prefix + headerLength > available) {
      throw NpyHeader.bad(source, "truncated header (" + headerLength + " bytes declared, " + (available - prefix) + " present)");
    }
    byte[] headerBytes = readExactly(in, headerLength, source, "header");
    String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyHeader h = NpyHeader.parse(header, source);
    long dataBytes = h.dataBytes();
    long present = available < 0 ? -1 : available - prefix - headerLength;
    if (present >= 0 && present < dataBytes) {
      throw NpyHeader.bad(
          source, "truncated data: header declares " + h.describe() + " (" + dataBytes + " bytes), file holds " + present);
    }
    if (dataBytes > Integer.MAX_VALUE - 8) {
      throw new ResourceLimitException(source + ": array " + h.describe() + " holds " + dataBytes + " bytes, more than rnn4j reads into one array");
    }
    budget.reserve(dataBytes + 4L * h.elementCount(), "array " + h.describe());
    byte[] data = readExactly(in, (int) dataBytes, source, "data of " + h.describe());
    return decode(h, data);
  }

  private static Tensor decode(NpyHeader h, byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data).order(h.order());
    int n = h.elementCount();
    float[] out = new float[n];
    if (!h.fortranOrder() || h.shape().length < 2) {
      for (int i = 0; i < n; i++) {
        out[i] = h.type().read(b);
      }
    } else {
      // Fortran order: the first axis varies fastest. Walk the file in its order and place each
      // element at its row-major position.
      int[] shape = h.shape();
      int[] index = new int[shape.length];
      int[] strides = rowMajorStrides(shape);
      for (int i = 0; i < n; i++) {
        int pos = 0;
        for (int a = 0; a < shape.length; a++) {
          pos += index[a] * strides[a];
        }
        out[pos] = h.type().read(b);
        for (int a = 0; a < shape.length; a++) {
          if (++index[a] < shape[a]) {
            break;
          }
          index[a] = 0;
        }
      }
    }
    return Tensor.wrap(h.shape(), out);
  }

  private static int[] rowMajorStrides(int[] shape) {
    int[] s = new int[shape.length];
    int stride = 1;
    for (int a = shape.length - 1; a >= 0; a--) {
      s[a] = stride;
      stride *= shape[a];
    }
    return s;
  }

  private static byte[] readExactly(InputStream in, int n, String source, String what) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw NpyHeader.bad(source, "truncated " + what + " (" + n + " bytes expected, " + b.length + " present)");
    }
    return b;
  }

  /**
   * Writes an array file (little-endian float32, C order).
   *
   * @throws FileFormatException naming the file if it cannot be written
   */
  public static void write(Path file, Tensor tensor) {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out, tensor);
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  /** Writes an array (little-endian float32, C order, format 1.0) to a stream. */
  public static void write(OutputStream out, Tensor tensor) throws IOException {
    out.write(toBytes(tensor));
  }

  /** The bytes of a {@code .npy} file holding {@code tensor}. */
  public static byte[] toBytes(Tensor tensor) {
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': " + pythonTuple(tensor.shape()) + ", }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(10 + header.length() + 4 * tensor.size());
    bytes.writeBytes(MAGIC);
    bytes.write(1);
    bytes.write(0);
    bytes.write(header.length() & 0xff);
    bytes.write((header.length() >>> 8) & 0xff);
    bytes.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer data = ByteBuffer.allocate(4 * tensor.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < tensor.size(); i++) {
      data.putFloat(tensor.getFlat(i));
    }
    bytes.writeBytes(data.array());
    return bytes.toByteArray();
  }

  private static String pythonTuple(int[] shape) {
    return Shapes.format(shape);
  }

}

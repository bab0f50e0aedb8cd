package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.FileFormatException;
import org.rnn4j.Tensor;

/** Reads arrays written by NumPy (fixtures made by {@code make_fixtures.py}) and writes arrays NumPy reads. */
class NpyTest {
  @TempDir Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** np.arange(24).reshape(2, 3, 4) / 7 rounded to float32. */
  static float[] expected() {
    float[] d = new float[24];
    for (int i = 0; i < 24; i++) {
      d[i] = (float) (i / 7.0);
    }
    return d;
  }

  @Test
  void readsEveryByteOrderAndMemoryOrder() {
    for (String f : List.of("f4_le.npy", "f4_be.npy", "f8_le.npy", "f8_be.npy", "f4_fortran.npy", "f8_fortran_be.npy", "v2.npy")) {
      Tensor t = Npy.read(fixture(f));
      assertArrayEquals(new int[] {2, 3, 4}, t.shape(), f);
      assertArrayEquals(expected(), t.toArray(), f);
    }
  }

  @Test
  void convertsOtherDtypesAsKerasDoes() {
    assertArrayEquals(
        new float[] {0.5f, -2f, 65504f, 6.097555e-05f, 1.1920929e-07f, Float.POSITIVE_INFINITY},
        Npy.read(fixture("f2.npy")).toArray());
    assertArrayEquals(new float[] {1, -2, 3, 2147483648f}, Npy.read(fixture("i4.npy")).toArray());
    assertArrayEquals(new float[] {1099511627776f, -5}, Npy.read(fixture("i8.npy")).toArray());
    assertArrayEquals(new float[] {0, 7, 255}, Npy.read(fixture("u1.npy")).toArray());
    assertArrayEquals(new float[] {1.8446744e19f, 3}, Npy.read(fixture("u8.npy")).toArray());
    assertArrayEquals(new float[] {1, 0, 1}, Npy.read(fixture("b1.npy")).toArray());
    assertArrayEquals(new int[] {}, Npy.read(fixture("scalar.npy")).shape());
    assertArrayEquals(new int[] {0, 3}, Npy.read(fixture("empty.npy")).shape());
  }

  @Test
  void refusesMalformedFilesWithTheFileName() {
    assertMessage("truncated_data.npy", "truncated data");
    assertMessage("truncated_header.npy", "truncated header");
    assertMessage("unicode.npy", "unsupported dtype '<U3'");
    assertMessage("structured.npy", "structured dtypes are not supported");
    assertMessage("complex.npy", "unsupported dtype '<c8'");
    assertMessage("positional.npz", "magic string");
    FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(tmp.resolve("missing.npy")));
    assertTrue(e.getMessage().endsWith("missing.npy: no such file"), e.getMessage());
  }

  private static void assertMessage(String file, String text) {
    FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(fixture(file)));
    assertTrue(e.getMessage().contains(file) && e.getMessage().contains(text), e.getMessage());
  }

  @Test
  void writesWhatItReads() {
    Tensor t = Tensor.of(new float[][][] {{{1.5f, -2f}, {Float.NaN, 3e-40f}}});
    Path p = tmp.resolve("x.npy");
    Npy.write(p, t);
    assertEquals(t, Npy.read(p));
    byte[] bytes = Npy.toBytes(t);
    assertEquals(0, (bytes.length - 16) % 16, "header padded to 64-byte alignment");
  }

  @Test
  void readsArchivesInPositionalOrder() {
    List<Tensor> arrays = Npz.readList(fixture("positional.npz"));
    assertEquals(12, arrays.size());
    for (int i = 0; i < 12; i++) {
      assertEquals(Tensor.of(i, i), arrays.get(i));
    }
    List<Tensor> compressed = Npz.readList(fixture("compressed.npz"));
    assertArrayEquals(expected(), compressed.get(1).toArray());
    Map<String, Tensor> named = Npz.read(fixture("named.npz"));
    assertEquals(List.of("output", "state_0"), List.copyOf(named.keySet()));
  }

  @Test
  void writesArchivesNumpyCanRead() {
    Path p = tmp.resolve("w.npz");
    Npz.writeList(p, List.of(Tensor.of(1f, 2f), Tensor.zeros(2, 3)));
    List<Tensor> back = Npz.readList(p);
    assertEquals(Tensor.of(1f, 2f), back.get(0));
    assertEquals(Tensor.zeros(2, 3), back.get(1));
    FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(fixture("f4_le.npy")));
    assertTrue(e.getMessage().contains("not a valid .npz"), e.getMessage());
  }
}

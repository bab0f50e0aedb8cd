package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Limits;
import org.rnn4j.Model;
import org.rnn4j.ResourceLimitException;
import org.rnn4j.Rnn4jException;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.keras.KerasConfigReader;
import org.rnn4j.keras.KerasModels;

/** Hostile and broken files: each is refused with one clear line, before anything large is allocated. */
class UntrustedFilesTest {
  @TempDir Path tmp;

  private static final Limits SMALL = Limits.defaults().withMemoryBytes(1 << 20);

  @Test
  void archiveEntriesThatPointOutsideTheArchiveAreRefused() throws IOException {
    for (String name : List.of("../evil.npy", "a/../../evil.npy", "/etc/evil.npy", "C:\\evil.npy", "..\\evil.npy")) {
      Path f = zip("bad.npz", name, Npy.toBytes(Tensor.zeros(2)), false);
      FileFormatException e = assertThrows(FileFormatException.class, () -> Npz.read(f));
      assertTrue(e.getMessage().endsWith("entry name '" + name + "' points outside the archive; refused"), e.getMessage());
    }
  }

  @Test
  void archivesWithTooManyEntriesAreRefused() throws IOException {
    Path f = tmp.resolve("many.npz");
    byte[] npy = Npy.toBytes(Tensor.zeros(1));
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      for (int i = 0; i < 11; i++) {
        z.putNextEntry(new ZipEntry("arr_" + i + ".npy"));
        z.write(npy);
        z.closeEntry();
      }
    }
    ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> Npz.read(f, Limits.defaults().withZipEntries(10)));
    assertTrue(e.getMessage().endsWith("more than 10 zip entries (limit rnn4j.limits.zipEntries)"), e.getMessage());
    assertEquals(11, Npz.read(f, Limits.defaults().withZipEntries(11)).size());
  }

  @Test
  void zipBombsAreRefusedByTheirCompressionRatio() throws IOException {
    // a valid .npy of 16 MiB of zeros deflates about a thousandfold
    Path f = zip("bomb.npz", "arr_0.npy", Npy.toBytes(Tensor.zeros(4 << 20)), true);
    ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> Npz.read(f));
    assertTrue(e.getMessage().contains("compression ratio") && e.getMessage().contains("possible zip bomb"), e.getMessage());
    assertEquals(4 << 20, Npz.read(f, Limits.defaults().withZipRatio(5000)).get("arr_0").size());
  }

  @Test
  void arraysLargerThanTheMemoryBudgetAreRefusedBeforeReading() throws IOException {
    Path f = tmp.resolve("big.npy");
    Npy.write(f, Tensor.zeros(512, 1024)); // 2 MiB of data, 4 MiB with its float copy
    ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> Npy.read(f, SMALL));
    assertTrue(e.getMessage().startsWith(f + ": array '<f4' (512, 1024) needs 4.0 MiB, over the memory limit of 1.0 MiB"), e.getMessage());
    Path z = zip("big.npz", "arr_0.npy", Files.readAllBytes(f), true);
    assertThrows(ResourceLimitException.class, () -> Npz.read(z, SMALL));
  }

  @Test
  void headersThatPromiseMoreThanTheFileHoldsAreRefused() throws IOException {
    byte[] valid = Npy.toBytes(Tensor.zeros(4));
    String huge = new String(valid, StandardCharsets.ISO_8859_1).replace("(4,)", "(20000, 20000)");
    byte[] bytes = huge.getBytes(StandardCharsets.ISO_8859_1);
    FileFormatException e = assertThrows(FileFormatException.class,
        () -> Npy.read(new ByteArrayInputStream(bytes), bytes.length, "x.npy"));
    assertTrue(e.getMessage().contains("truncated data: header declares '<f4' (20000, 20000)"), e.getMessage());
    ResourceLimitException r = assertThrows(ResourceLimitException.class,
        () -> Npy.read(new ByteArrayInputStream(bytes), -1, "x.npy", SMALL.budget("x.npy")));
    assertTrue(r.getMessage().contains("over the memory limit"), r.getMessage());
    String overflow = new String(valid, StandardCharsets.ISO_8859_1).replace("(4,)", "(4294967296, 4294967296)");
    assertThrows(FileFormatException.class, () -> Npy.read(new ByteArrayInputStream(overflow.getBytes(StandardCharsets.ISO_8859_1)), -1, "o.npy"));
  }

  @Test
  void jsonDeeperOrLargerThanTheLimitsIsRefused() {
    String deep = "[".repeat(200) + "]".repeat(200);
    ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> KerasConfigReader.parseJson(deep, "deep.json"));
    assertTrue(e.getMessage().startsWith("deep.json: JSON exceeds limits"), e.getMessage());
    String big = "{\"a\": \"" + "x".repeat(2000) + "\"}";
    assertThrows(ResourceLimitException.class, () -> KerasConfigReader.parseJson(big, "big.json", Limits.defaults().withJsonBytes(1000)));
  }

  @Test
  void hdf5DatasetsLargerThanTheModelImpliesAreRefusedUnread() throws IOException {
    // the file holds LSTM(96) weights; the config asks for LSTM(1): 56 values in the first layer
    Path config = tmp.resolve("small.json");
    Files.writeString(config, Files.readString(GoldenFiles.path("golden/dl4j/fullconfigs/lstm/lstm_th_keras_2_config.json"))
        .replace("\"units\": 96", "\"units\": 1"));
    FileFormatException e = assertThrows(FileFormatException.class,
        () -> KerasModels.load(config, GoldenFiles.path("golden/dl4j/fullconfigs/lstm/lstm_th_keras_2_weights.h5")));
    assertTrue(e.getMessage().endsWith("recurrent_kernel' holds 36864 values, far more than the model implies there (at most 7680); refused unread"),
        e.getMessage());
  }

  @Test
  void wronglyTypedHdf5ObjectsAreNamed() {
    FileFormatException e = assertThrows(FileFormatException.class, () -> KerasModels.load(
        GoldenFiles.path("golden/dl4j/fullconfigs/lstm/lstm_th_keras_2_config.json"), GoldenFiles.path("fixtures/bad/numeric_layer_names.h5")));
    assertTrue(e.getMessage().endsWith("attribute 'layer_names' of '/' is not a list of strings"), e.getMessage());
    e = assertThrows(FileFormatException.class, () -> KerasModels.load(
        GoldenFiles.path("fixtures/keras3/gru_reset_before.json"), GoldenFiles.path("fixtures/bad/var_is_group.weights.h5")));
    assertTrue(e.getMessage().contains("/layers/gru/cell/vars/0") && e.getMessage().endsWith("is not a dataset"), e.getMessage());
  }

  /**
   * Every argument of a full Keras 2 LSTM config, given a value of each wrong JSON type: the
   * reader either accepts it (an argument that does not affect inference) or refuses it naming the
   * argument, and never fails any other way.
   */
  @Test
  void everyConfigFieldWithAWrongTypeIsRefusedByName() throws IOException {
    JsonNode full = new ObjectMapper().readTree(Files.readString(GoldenFiles.path("golden/dl4j/examples/simple_lstm/simple_lstm_tf_keras_2_config.json")));
    ObjectNode layer = (ObjectNode) full.get("config").get(0).get("config");
    List<String> fields = new ArrayList<>();
    layer.fieldNames().forEachRemaining(fields::add);
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> wrongs = List.of(f.textNode("wrong"), f.numberNode(2.5), f.numberNode(-3), f.numberNode(1e300), f.booleanNode(true),
        f.arrayNode().add(1), f.objectNode().put("class_name", 7), f.nullNode());
    int refused = 0;
    for (String field : fields) {
      for (JsonNode wrong : wrongs) {
        if (wrong.equals(layer.get(field)) || wrong.getNodeType() == layer.get(field).getNodeType() && !wrong.isNumber()) {
          continue;
        }
        ObjectNode copy = full.deepCopy();
        ((ObjectNode) copy.get("config").get(0).get("config")).set(field, wrong);
        try {
          Model.initialized(KerasConfigReader.parse(copy, "m.json", null).architecture(), 1);
        } catch (InvalidModelException e) {
          assertTrue(e.getMessage().contains(field), field + "=" + wrong + ": " + e.getMessage());
          refused++;
        } catch (Rnn4jException e) {
          // another documented error: acceptable
        }
      }
    }
    assertTrue(refused > 60, "only " + refused + " wrong values refused");
  }

  private Path zip(String file, String entry, byte[] data, boolean deflate) throws IOException {
    Path f = tmp.resolve(file);
    try (OutputStream out = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(out)) {
      z.setLevel(9);
      ZipEntry e = new ZipEntry(entry);
      if (!deflate) {
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
      }
      z.putNextEntry(e);
      z.write(data);
      z.closeEntry();
    }
    return f;
  }
}

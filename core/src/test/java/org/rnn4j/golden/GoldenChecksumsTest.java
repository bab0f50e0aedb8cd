package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The golden data files are the ones their notes describe: every SHA-256 in CHECKSUMS.sha256 matches. */
class GoldenChecksumsTest {
  @Test
  void everyGoldenFileHasTheChecksumItsNotesRecord() throws Exception {
    List<String> lines = GoldenFiles.text("golden/CHECKSUMS.sha256").lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.size() > 300, "the checksum list covers the data: " + lines.size() + " files");
    for (String line : lines) {
      String expected = line.substring(0, 64);
      String file = line.substring(66);
      byte[] bytes = Files.readAllBytes(GoldenFiles.path("golden/" + file));
      String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertEquals(expected, actual, "golden/" + file);
    }
  }
}

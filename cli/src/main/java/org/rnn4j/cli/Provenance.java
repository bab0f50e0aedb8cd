package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.rnn4j.FileFormatException;
import org.rnn4j.Version;
import org.rnn4j.parity.Tolerance;
import org.rnn4j.Backends;

/** Where a cross-check ran: rnn4j, backends, JVM, platform, inputs and tolerances. */
final class Provenance {
  private Provenance() {}

  static ObjectNode of(List<String> backends, Tolerance tolerance) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("rnn4j_version", Version.get());
    var bs = o.putArray("backends");
    for (String name : backends) {
      bs.addObject().put("name", name).put("version", Backends.describe(name).version());
    }
    o.putObject("java").put("version", System.getProperty("java.version")).put("vendor", System.getProperty("java.vendor"))
        .put("vm", System.getProperty("java.vm.name"));
    o.putObject("os").put("name", System.getProperty("os.name")).put("version", System.getProperty("os.version"))
        .put("arch", System.getProperty("os.arch"));
    o.putObject("tolerance").put("atol", tolerance.atol()).put("rtol", tolerance.rtol());
    return o;
  }

  /** The SHA-256 of a file's bytes, in hex. */
  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot read: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

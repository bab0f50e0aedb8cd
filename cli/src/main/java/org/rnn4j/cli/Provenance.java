package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.file.Path;
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
    try {
      return com.google.common.io.Files.asByteSource(file.toFile()).hash(Hashing.sha256()).toString();
    } catch (IOException e) {
      throw new FileFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}

package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendsCommandTest {
  @Test
  void listsEveryBackendWithVersionAndAvailability() {
    CliRunner.Outcome o = CliRunner.run("backends");
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().matches("(?s)reference +available .*version \\S+.*"), o.out());
    assertTrue(o.out().matches("(?s).*tensorflow +available .*version TensorFlow \\d+\\.\\d+\\.\\d+.*"), o.out());
    assertTrue(o.out().contains("option lstm_path=auto"), o.out());
  }

  @Test
  void versionNamesJavaAndPlatform() {
    CliRunner.Outcome o = CliRunner.run("--version");
    assertEquals(0, o.exitCode());
    assertTrue(o.out().startsWith("rnn4j ") && o.out().contains("Java " + System.getProperty("java.version")), o.out());
  }
}

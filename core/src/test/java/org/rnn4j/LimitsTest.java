package org.rnn4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Sequential;
import org.rnn4j.spi.CallChecker;

class LimitsTest {
  @Test
  void parsesSizesWithBinarySuffixes() {
    assertEquals(512L << 20, Limits.parseSize("512m", "x"));
    assertEquals(4L << 30, Limits.parseSize("4G", "x"));
    assertEquals(1000, Limits.parseSize("1000", "x"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Limits.parseSize("-1k", "--memory-limit"));
    assertEquals("--memory-limit must be a positive size such as 512m or 4g, got '-1k'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Limits.parseSize("99999999999t", "x"));
    assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withJsonDepth(Limits.MAX_JSON_DEPTH + 1));
  }

  @Test
  void budgetRefusesWhatWouldExceedTheMemoryLimit() {
    Limits.Budget b = Limits.defaults().withMemoryBytes(1000).budget("f.npz");
    b.reserve(600, "array a");
    ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> b.reserve(600, "array b"));
    assertEquals("f.npz: array b needs 600 bytes more (600 bytes already read), over the memory limit of 1000 bytes"
        + " (raise it with -Drnn4j.limits.memory=SIZE or Limits.setCurrent)", e.getMessage());
    assertThrows(ResourceLimitException.class, () -> b.reserve(-1, "an overflowing size"));
  }

  @Test
  void callsNeedingMoreThanTheMemoryLimitAreRefusedBeforeRunning() {
    Sequential arch = Sequential.of(InputSpec.sequence(4), LSTM.builder(256).returnSequences(true).build());
    Limits before = Limits.current();
    try {
      Limits.setCurrent(before.withMemoryBytes(1 << 20));
      // 8 rows × 100 steps × (256 outputs + 1024 gate values) floats, twice: about 8 MiB
      ResourceLimitException e = assertThrows(ResourceLimitException.class,
          () -> CallChecker.check(arch, Call.of(Tensor.zeros(8, 100, 4))));
      assertTrue(e.getMessage().startsWith("a call with input (8, 100, 4) needs about 7.8 MiB"), e.getMessage());
      CallChecker.check(arch, Call.of(Tensor.zeros(1, 10, 4)));
    } finally {
      Limits.setCurrent(before);
    }
  }

  @Test
  void systemPropertiesOverrideTheDefaults() {
    Limits before = Limits.current(); // initialized before the properties are set, restored after
    System.setProperty("rnn4j.limits.memory", "3m");
    System.setProperty("rnn4j.limits.zipEntries", "7");
    try {
      Limits l = Limits.fromSystemProperties();
      assertEquals(3 << 20, l.memoryBytes());
      assertEquals(7, l.zipEntries());
      assertEquals(List.of(200.0, 128, 64L << 20), List.of(l.zipRatio(), l.jsonDepth(), l.jsonBytes()));
    } finally {
      System.clearProperty("rnn4j.limits.memory");
      System.clearProperty("rnn4j.limits.zipEntries");
      Limits.setCurrent(before);
    }
  }
}

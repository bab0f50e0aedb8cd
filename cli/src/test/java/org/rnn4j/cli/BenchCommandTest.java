package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.cli.bench.Workload;

class BenchCommandTest {
  @Test
  void jsonHasOneObjectPerWorkloadAndBackendWithTheDocumentedKeys() throws Exception {
    CliRunner.Outcome o = CliRunner.run("bench", "--workloads", "W1a,W1b", "--backends", "reference,tensorflow",
        "--threads", "1", "--seconds", "0.05", "--samples", "3", "--format", "json");
    assertEquals(0, o.exitCode(), o.err());
    JsonNode arr = new ObjectMapper().readTree(o.out());
    assertEquals(4, arr.size(), o.out());
    List<String> seen = new ArrayList<>();
    for (JsonNode m : arr) {
      List<String> keys = new ArrayList<>();
      m.fieldNames().forEachRemaining(keys::add);
      assertEquals(List.of("workload", "backend", "threads", "unit", "median", "min", "max", "peak_rss_mib", "rss_growth_mib"), keys);
      if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status"))) {
        // Linux: the peak is at least the JVM's own resident size, and grows by zero or more
        assertTrue(m.get("peak_rss_mib").asLong() > 16 && m.get("rss_growth_mib").asLong() >= 0, m.toString());
        assertTrue(m.get("rss_growth_mib").asLong() <= m.get("peak_rss_mib").asLong(), m.toString());
      } else {
        assertEquals(-1, m.get("peak_rss_mib").asLong(), m.toString());
      }
      assertEquals(1, m.get("threads").asInt());
      assertEquals("µs/call", m.get("unit").asText());
      assertTrue(m.get("min").asDouble() > 0 && m.get("min").asDouble() <= m.get("median").asDouble()
          && m.get("median").asDouble() <= m.get("max").asDouble(), m.toString());
      seen.add(m.get("workload").asText() + "/" + m.get("backend").asText());
    }
    assertEquals(List.of("W1a/reference", "W1a/tensorflow", "W1b/reference", "W1b/tensorflow"), seen);
  }

  @Test
  void textTableShowsTheRatioAgainstTheFirstBackend() {
    CliRunner.Outcome o = CliRunner.run("bench", "--workloads", "W2", "--backends", "reference,tensorflow",
        "--seconds", "0.05", "--samples", "1");
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().matches("(?s).*W2 +reference +\\d+ +µs/step.*"), o.out());
    assertTrue(o.out().matches("(?s).*W2 +tensorflow +\\d+ +µs/step .*\\d+\\.\\d\\dx +(\\d+ \\(\\+\\d+\\)|n/a)\\n.*"), o.out());
    assertTrue(o.out().contains("peak RSS: the process's peak resident memory while the row was prepared and measured"), o.out());
    assertTrue(o.out().contains("ratio: reference vs the backend on that row"), o.out());
  }

  /** A forward-and-backward workload also reports its backward pass's time over its forward pass's. */
  @Test
  void backwardWorkloadsReportBackwardOverForward() throws Exception {
    CliRunner.Outcome o = CliRunner.run("bench", "--workloads", "T1b,W1b", "--backends", "reference", "--threads", "1", "--seconds",
        "0.05", "--samples", "3", "--format", "json");
    assertEquals(0, o.exitCode(), o.err());
    JsonNode arr = new ObjectMapper().readTree(o.out());
    assertEquals("T1b", arr.get(0).get("workload").asText());
    // a backward pass costs something, and less than a hundred forward passes
    double ratio = arr.get(0).get("backward_over_forward").asDouble();
    assertTrue(ratio > 0 && ratio < 100, o.out());
    assertTrue(!arr.get(1).has("backward_over_forward"), "a forward-only workload has no such ratio: " + o.out());
    CliRunner.Outcome text = CliRunner.run("bench", "--workloads", "T1b", "--backends", "reference", "--seconds", "0.05", "--samples", "1");
    assertTrue(text.out().matches("(?s).*T1b +reference +\\d+ +µs/call .* \\d+\\.\\d\\d\\n.*"), text.out());
    assertTrue(text.out().contains("bwd/fwd (T rows): the backward pass's time over the forward pass's"), text.out());
  }

  @Test
  void unknownWorkloadIsAUsageError() {
    CliRunner.Outcome o = CliRunner.run("bench", "--workloads", "W9");
    assertEquals(ExitCodes.BAD_INPUT, o.exitCode());
    assertTrue(o.err().contains("unknown workload 'W9' (known: W1a, W1b, W2, W3, W4, G3, T1b, T3, F3)"), o.err());
  }

  @Test
  void flopCountsFollowTheIssueFormula() {
    assertEquals(2.0 * 32 * 4 * 256 * (64 + 256) * 100, Workload.W3.flopsPerCall());
    assertEquals(2.0 * 32 * 3 * 256 * (64 + 256) * 100, Workload.G3.flopsPerCall());
    assertEquals(2.0 * 128 * 4 * 1024 * (512 + 1024) * 50, Workload.W4.flopsPerCall());
    assertEquals(3.0, Workload.W2.score(3e-3), 1e-12);
  }
}

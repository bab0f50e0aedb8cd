package org.rnn4j.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory as Linux reports it ({@code /proc/self/status}: VmRSS now, VmHWM
 * the peak), with the peak reset between measurements through {@code /proc/self/clear_refs}. It
 * counts everything resident — Java heap, TensorFlow's native memory — which is what a deployment
 * pays for. Elsewhere every figure is unknown (-1).
 */
public final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ResidentMemory() {}

  /** Starts a new peak at the current resident size; false where that is not possible. */
  public static boolean resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
      return true;
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The resident size now, in MiB, or -1. */
  public static long currentMib() {
    return field("VmRSS:");
  }

  /** The peak resident size since the last reset (or the start), in MiB, or -1. */
  public static long peakMib() {
    return field("VmHWM:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).replace("kB", "").trim()) / 1024;
        }
      }
    } catch (IOException | SecurityException | NumberFormatException e) {
      // not Linux, or no procfs: unknown
    }
    return -1;
  }
}

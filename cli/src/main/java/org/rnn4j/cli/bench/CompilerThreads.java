package org.rnn4j.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of the JVM's JIT compiler threads, read from Linux's {@code /proc/self/task}: the
 * JVM names them {@code C1 CompilerThre…} and {@code C2 CompilerThre…}, and hides them from
 * {@link java.lang.management.ThreadMXBean}. 0 where {@code /proc} is not there.
 */
final class CompilerThreads {
  private static final Path TASKS = Path.of("/proc/self/task");
  /** The kernel's clock ticks per second, in which {@code /proc}'s CPU times are counted (100 on Linux). */
  private static final long TICKS_PER_SECOND = 100;

  private CompilerThreads() {}

  /** The compiler threads' user and system CPU time so far, in milliseconds. */
  static long cpuMillis() {
    if (!Files.isDirectory(TASKS)) {
      return 0;
    }
    long ticks = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        ticks += compilerTicks(read(task.resolve("comm")), read(task.resolve("stat")));
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 1000 / TICKS_PER_SECOND;
  }

  /** A file's text, or empty if the thread ended meanwhile. */
  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The user plus system ticks a thread's {@code stat} line holds if its {@code comm} names a JIT
   * compiler thread, else 0. The fields after the parenthesized name are state, ppid, ..., with
   * utime and stime the 12th and 13th of them.
   */
  static long compilerTicks(String comm, String stat) {
    if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
      return 0;
    }
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return 0;
    }
    String[] fields = stat.substring(close + 1).trim().split("\\s+");
    try {
      return fields.length > 12 ? Long.parseLong(fields[11]) + Long.parseLong(fields[12]) : 0;
    } catch (NumberFormatException e) {
      return 0; // not the stat line this reads: counts as no compilation, the JVM's own figure still counts
    }
  }
}

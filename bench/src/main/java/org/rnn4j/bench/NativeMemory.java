package org.rnn4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Sequential;

/**
 * Watches a backend's memory over many runs of one prepared model: {@code java -cp
 * bench/target/rnn4j-bench.jar org.rnn4j.bench.NativeMemory [backend] [runs]} (defaults:
 * tensorflow, 100000). The model is an LSTM(32) returning sequences, fed 16×25×32 inputs (51 KB in
 * and out per run), so a leaked tensor per run would add gigabytes. It prints, every tenth of the
 * runs, the resident set size, the JVM's committed memory and their difference (memory outside
 * the JVM's heaps: native), and the growth of that difference after a warm-up of 2,000 runs.
 * Linux only (it reads {@code /proc/self/status}).
 */
public final class NativeMemory {
  private NativeMemory() {}

  public static void main(String[] args) throws Exception {
    String backend = args.length > 0 ? args[0] : "tensorflow";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(32), LSTM.builder(32).returnSequences(true).build()), 4);
    float[] d = new float[16 * 25 * 32];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.sin(i);
    }
    Tensor x = Tensor.wrap(new int[] {16, 25, 32}, d);
    try (Backend b = Backends.open(backend); PreparedModel p = b.prepare(m)) {
      for (int i = 0; i < 2_000; i++) {
        p.run(x);
      }
      long base = nativeBytes();
      System.out.printf(Locale.ROOT, "%s: %,d runs of LSTM(32) on (16, 25, 32)%n", backend, runs);
      System.out.printf(Locale.ROOT, "%10s %12s %12s %12s %12s%n", "runs", "RSS MiB", "JVM MiB", "native MiB", "growth MiB");
      long start = System.nanoTime();
      for (int i = 1; i <= runs; i++) {
        p.run(x);
        if (i % Math.max(1, runs / 10) == 0 || i == runs) {
          long rss = rss();
          long jvm = jvmCommitted();
          long nat = nativeBytes();
          System.out.printf(Locale.ROOT, "%,10d %12.1f %12.1f %12.1f %+12.1f%n", i, rss / 1048576.0, jvm / 1048576.0, nat / 1048576.0,
              (nat - base) / 1048576.0);
        }
      }
      System.out.printf(Locale.ROOT, "%.1f µs per run%n", (System.nanoTime() - start) / 1e3 / runs);
    }
  }

  private static long nativeBytes() throws Exception {
    System.gc();
    Thread.sleep(100);
    return rss() - jvmCommitted();
  }

  private static long jvmCommitted() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    return mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted();
  }

  private static long rss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status (Linux only)");
  }
}

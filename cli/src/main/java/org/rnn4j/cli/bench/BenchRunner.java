package org.rnn4j.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A quick in-process benchmark: warm up for a while, then time repeated batches of operations
 * and report the median, minimum and maximum of the per-operation scores. Results of different
 * backends measured in the same run can be compared; this machine's absolute figures vary.
 */
public final class BenchRunner {
  private final double warmupSeconds;
  private final double sampleSeconds;
  private final int samples;

  public BenchRunner(double warmupSeconds, double sampleSeconds, int samples) {
    this.warmupSeconds = warmupSeconds;
    this.sampleSeconds = sampleSeconds;
    this.samples = samples;
  }

  /**
   * The options that give a backend {@code threads} threads: the {@code threads} option every
   * backend that declares one understands; none for 0 (the backend's default) or a backend
   * without it.
   */
  public static Map<String, String> threadOptions(String backend, int threads) {
    boolean declared = org.rnn4j.Backends.describe(backend).options().stream().anyMatch(o -> o.name().equals("threads"));
    return threads <= 0 || !declared ? Map.of() : Map.of("threads", Integer.toString(threads));
  }

  /**
   * One measured result, with the peak resident memory of the process while it was measured and
   * that peak's growth over the resident size just before (MiB; -1 where unknown), and for a
   * forward-and-backward workload its backward pass's time over its forward pass's ({@link
   * #measure}; NaN for the others).
   */
  public record Measurement(Workload workload, String backend, int threads, double median, double min, double max, long peakMib,
      long growthMib, double backwardOverForward) {
    public Measurement withMemory(long peak, long growth) {
      return new Measurement(workload, backend, threads, median, min, max, peak, growth, backwardOverForward);
    }
  }

  /** What the last operation returned, kept so that the JIT cannot drop the work. */
  private volatile Object sink;

  /**
   * Measures {@code op}. With a {@code forward} (the forward pass alone of a forward-and-backward
   * {@code op}), also the backward pass's share: calls of the two alternate, and each pair gives
   * (op − forward) / forward; the median of those ratios, so that the machine's drift over the
   * run cancels out.
   */
  public Measurement measure(Workload w, String backend, int threads, java.util.function.Supplier<Object> op,
      java.util.function.Supplier<Object> forward) {
    long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    int calls = 0;
    long start = System.nanoTime();
    while (System.nanoTime() < warmEnd || calls < 3) {
      sink = op.get();
      calls++;
    }
    double perCall = (System.nanoTime() - start) / 1e9 / calls;
    int batch = Math.max(1, (int) (sampleSeconds / perCall));
    List<Double> scores = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        sink = op.get();
      }
      scores.add(w.score((System.nanoTime() - t0) / 1e9 / batch));
    }
    double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double backward = Double.NaN;
    if (forward != null) {
      int pairs = Math.max(3 * samples, samples * batch);
      double[] ratios = new double[pairs];
      for (int i = 0; i < pairs; i++) {
        long t0 = System.nanoTime();
        sink = forward.get();
        long t1 = System.nanoTime();
        sink = op.get();
        long t2 = System.nanoTime();
        ratios[i] = (double) (t2 - t1 - (t1 - t0)) / (t1 - t0);
      }
      Arrays.sort(ratios);
      backward = median(ratios);
    }
    return new Measurement(w, backend, threads, median(sorted), Arrays.stream(sorted).min().orElse(0), Arrays.stream(sorted).max().orElse(0),
        -1, -1, backward);
  }

  private static double median(double[] sorted) {
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }
}

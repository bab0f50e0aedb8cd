package org.rnn4j.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A quick in-process benchmark: warm up until the JIT has settled (no compilation ended and its
 * compiler threads idle for a window; see {@link #warmUp}), then time repeated batches of
 * operations and report the median, minimum and maximum of the per-operation scores. Results of
 * different backends measured in the same run can be compared; this machine's absolute figures vary.
 */
public final class BenchRunner {
  /** The warm-up goes on at most this many times the given warm-up time while the JIT is still compiling. */
  static final int WARMUP_LIMIT = 5;

  private final double warmupSeconds;
  private final double sampleSeconds;
  private final int samples;
  private final LongSupplier nanoTime;
  private final LongSupplier compilationMillis;

  public BenchRunner(double warmupSeconds, double sampleSeconds, int samples) {
    this(warmupSeconds, sampleSeconds, samples, System::nanoTime, BenchRunner::jitMillis);
  }

  /** With the clock the measurements read and the JIT's total compilation time so far (for tests). */
  BenchRunner(double warmupSeconds, double sampleSeconds, int samples, LongSupplier nanoTime, LongSupplier compilationMillis) {
    this.warmupSeconds = warmupSeconds;
    this.sampleSeconds = sampleSeconds;
    this.samples = samples;
    this.nanoTime = nanoTime;
    this.compilationMillis = compilationMillis;
  }

  /**
   * How much the JIT has done so far, in milliseconds: the compilation time the JVM reports (which
   * counts a compilation only once it ends) plus the CPU time of its compiler threads (which also
   * sees a compilation that is still running: a C2 compilation of a large method can take seconds,
   * during which the JVM's figure stands still). 0 where neither is known.
   */
  private static long jitMillis() {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long reported = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    return reported + CompilerThreads.cpuMillis();
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
    double perCall = warmUp(op);
    int batch = Math.max(1, (int) (sampleSeconds / perCall));
    List<Double> scores = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      long t0 = nanoTime.getAsLong();
      for (int i = 0; i < batch; i++) {
        sink = op.get();
      }
      scores.add(w.score((nanoTime.getAsLong() - t0) / 1e9 / batch));
    }
    double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double backward = Double.NaN;
    if (forward != null) {
      int pairs = Math.max(3 * samples, samples * batch);
      double[] ratios = new double[pairs];
      for (int i = 0; i < pairs; i++) {
        long t0 = nanoTime.getAsLong();
        sink = forward.get();
        long t1 = nanoTime.getAsLong();
        sink = op.get();
        long t2 = nanoTime.getAsLong();
        ratios[i] = (double) (t2 - t1 - (t1 - t0)) / (t1 - t0);
      }
      Arrays.sort(ratios);
      backward = median(ratios);
    }
    return new Measurement(w, backend, threads, median(sorted), Arrays.stream(sorted).min().orElse(0), Arrays.stream(sorted).max().orElse(0),
        -1, -1, backward);
  }

  /**
   * Runs {@code op} for the warm-up time (and at least three calls), then in windows of a quarter
   * of it until one passes without the JIT compiling anything — for the Vector API kernels, met
   * at new sizes, that can take seconds, and calls measured meanwhile would run partly in the
   * interpreter — up to {@link #WARMUP_LIMIT} times the warm-up time. Returns the seconds per call
   * of the last window.
   */
  double warmUp(java.util.function.Supplier<Object> op) {
    long limit = nanoTime.getAsLong() + (long) (WARMUP_LIMIT * warmupSeconds * 1e9);
    double perCall = timeCalls(op, warmupSeconds, 3);
    while (nanoTime.getAsLong() < limit) {
      long compiled = compilationMillis.getAsLong();
      perCall = timeCalls(op, warmupSeconds / 4, 1);
      if (compilationMillis.getAsLong() == compiled) {
        break;
      }
    }
    return perCall;
  }

  /** Calls {@code op} for {@code seconds} and at least {@code minCalls} times; the seconds per call. */
  private double timeCalls(java.util.function.Supplier<Object> op, double seconds, int minCalls) {
    long start = nanoTime.getAsLong();
    long end = start + (long) (seconds * 1e9);
    int calls = 0;
    long now = start;
    while (now < end || calls < minCalls) {
      sink = op.get();
      calls++;
      now = nanoTime.getAsLong();
    }
    return (now - start) / 1e9 / calls;
  }

  private static double median(double[] sorted) {
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }
}

package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.PreparedModel;
import org.rnn4j.cli.bench.BenchRunner;
import org.rnn4j.cli.bench.Workload;

/**
 * Every benchmark workload on every backend: the operation {@code rnn4j bench} times (one call;
 * for W2 a whole 1000-step stream), here under JMH's forks, warm-up and statistics. Time per
 * operation is the raw figure; {@link BenchMain} converts it into the workload's unit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class WorkloadBenchmark {
  @Param({"W1a", "W1b", "W2", "W3", "W4", "G3", "T1b", "T3", "F3"})
  public String workload;

  @Param({"reference", "tensorflow"})
  public String backend;

  /** Threads for the backend (reference: threads; tensorflow: intra_op_threads); 0: its default. */
  @Param({"0"})
  public int threads;

  private Backend opened;
  private PreparedModel prepared;
  private java.util.function.Supplier<Object> operation;

  @Setup(Level.Trial)
  public void setUp() {
    Workload w = Workload.parse(workload);
    opened = Backends.open(backend, BenchRunner.threadOptions(backend, threads));
    prepared = opened.prepare(w.model());
    operation = w.operation(prepared);
  }

  /** One operation; its result is returned for JMH to consume. */
  @Benchmark
  public Object run() {
    return operation.get();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    prepared.close();
    opened.close();
  }
}

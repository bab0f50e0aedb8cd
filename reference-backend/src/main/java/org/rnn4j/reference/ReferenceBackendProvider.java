package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.Backend;
import org.rnn4j.BackendOptions;
import org.rnn4j.Version;
import org.rnn4j.spi.BackendOption;
import org.rnn4j.spi.BackendProvider;

/**
 * Provides the {@code reference} backend: pure Java, always available.
 *
 * <p>Options: {@code path} = {@code fast} (default: input projections as one GEMM, packed
 * weights, SIMD when the Vector API is enabled, threads for large steps) or {@code exact} (the
 * equations one row and step at a time, accumulating in double); {@code threads} (default: the
 * available processors); {@code simd} = {@code auto} (default) or {@code off}.
 */
public final class ReferenceBackendProvider implements BackendProvider {
  /** The backend's name. */
  public static final String NAME = "reference";

  static final BackendOption<String> PATH =
      BackendOption.choice("path", "fast | exact (double accumulation, one row at a time)", "fast", "exact");
  static final BackendOption<Integer> THREADS =
      BackendOption.integer("threads", "threads for large calls", () -> Runtime.getRuntime().availableProcessors(), 1);
  static final BackendOption<String> SIMD =
      BackendOption.choice("simd", "auto (Vector API when --add-modules jdk.incubator.vector) | off", "auto", "off");
  private static final List<BackendOption<?>> OPTIONS = List.of(PATH, THREADS, SIMD);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "pure Java: the Keras equations in float32; kernels " + SimdProvider.describe();
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public List<BackendOption<?>> options() {
    return OPTIONS;
  }

  @Override
  public Backend open(BackendOptions options) {
    BackendOption.requireKnown(NAME, options, OPTIONS);
    boolean exact = PATH.get(options).equals("exact");
    int threads = THREADS.get(options);
    boolean simd = SIMD.get(options).equals("auto");
    return new ReferenceBackend(exact, simd ? SimdProvider.best() : SimdProvider.scalar(), threads);
  }
}

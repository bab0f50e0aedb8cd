package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.Backend;
import org.rnn4j.BackendOptions;
import org.rnn4j.Version;
import org.rnn4j.spi.BackendProvider;

/**
 * Provides the {@code reference} backend: pure Java, always available.
 *
 * <p>Options: {@code kernels} = {@code fast} (default: input projections as one GEMM, packed
 * weights, SIMD when the Vector API is enabled, threads for large steps) or {@code exact} (the
 * equations one row and step at a time, accumulating in double); {@code threads} (default: the
 * available processors); {@code simd} = {@code auto} (default) or {@code off}.
 */
public final class ReferenceBackendProvider implements BackendProvider {
  /** The backend's name. */
  public static final String NAME = "reference";

  private static final List<BackendOption> OPTIONS =
      List.of(
          new BackendOption("kernels", "fast | exact (double accumulation, one row at a time)", "fast"),
          new BackendOption("threads", "threads for large steps", String.valueOf(Runtime.getRuntime().availableProcessors())),
          new BackendOption("simd", "auto (Vector API when --add-modules jdk.incubator.vector) | off", "auto"));

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
  public List<BackendOption> options() {
    return OPTIONS;
  }

  @Override
  public Backend open(BackendOptions options) {
    options.requireKnown(NAME, OPTIONS.stream().map(BackendOption::name).toList());
    boolean exact = options.choice("kernels", "fast", "fast", "exact").equals("exact");
    int threads = options.positiveInt("threads", Runtime.getRuntime().availableProcessors());
    boolean simd = options.choice("simd", "auto", "auto", "off").equals("auto");
    return new ReferenceBackend(exact, simd ? SimdProvider.best() : SimdProvider.scalar(), threads);
  }
}

package org.rnn4j.reference;

import org.rnn4j.Model;
import org.rnn4j.Version;
import org.rnn4j.spi.AbstractBackend;
import org.rnn4j.spi.AbstractPreparedModel;

/** The pure-Java backend. It supports every layer rnn4j describes. */
final class ReferenceBackend extends AbstractBackend {
  private final boolean exact;
  private final Simd simd;
  private final Parallel parallel;

  ReferenceBackend(boolean exact, Simd simd, int threads) {
    this.exact = exact;
    this.simd = simd;
    this.parallel = new Parallel(threads);
  }

  @Override
  public String name() {
    return ReferenceBackendProvider.NAME;
  }

  @Override
  public String version() {
    return Version.get();
  }

  /** What computes: the path, the kernels and the threads. */
  String configuration() {
    return exact ? "exact path" : "fast path, " + simd.name() + " kernels, " + parallel.threads() + " thread(s)";
  }

  @Override
  protected AbstractPreparedModel doPrepare(Model model) {
    return new ReferencePreparedModel(model, new ReferenceEngine(exact, simd, new RecurrentLoop(simd, parallel), new WeightCache()));
  }

  @Override
  protected void release() {
    parallel.close();
  }
}

package org.rnn4j.reference;

/**
 * How a reference backend computes: the exact path or the fast one, with which kernels and how
 * many threads, and the weights converted for them. One per prepared model.
 *
 * @param exact whether to use the exact path (double accumulation, one row at a time)
 * @param simd the fast path's kernels
 * @param loop the recurrent loop, for both paths (sharing the backend's threads)
 * @param weights the model's converted weights
 */
record ReferenceEngine(boolean exact, Simd simd, RecurrentLoop loop, WeightCache weights) {

  /** The same engine over other weights (a training step's): converted afresh, on first use. */
  ReferenceEngine withFreshWeights() {
    return new ReferenceEngine(exact, simd, loop, new WeightCache());
  }
}

package org.rnn4j.spi;

import java.util.List;
import org.rnn4j.Tensor;

/**
 * One layer's (or one Bidirectional direction's) weights in Keras layout, with a key that stays
 * the same for every call on a prepared model, so that a backend can convert them once and cache
 * the result.
 */
public record LayerWeights(String key, List<Tensor> values) {
  public LayerWeights {
    values = List.copyOf(values);
  }

  public Tensor get(int i) {
    return values.get(i);
  }
}

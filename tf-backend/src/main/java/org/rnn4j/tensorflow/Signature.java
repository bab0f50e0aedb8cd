package org.rnn4j.tensorflow;

import java.util.List;
import java.util.Set;
import org.rnn4j.spi.CheckedCall;

/**
 * What a graph is built for: the input shape, whether an explicit mask is fed, and which recurrent
 * layers are fed initial states. Calls with the same signature share one graph and session.
 */
record Signature(List<Integer> inputShape, boolean mask, Set<Integer> statefulLayers) {
  static Signature of(CheckedCall call) {
    return new Signature(
        java.util.Arrays.stream(call.input().shape()).boxed().toList(),
        call.mask() != null,
        Set.copyOf(call.initialStates().layers()));
  }

  int[] shape() {
    return inputShape.stream().mapToInt(Integer::intValue).toArray();
  }
}

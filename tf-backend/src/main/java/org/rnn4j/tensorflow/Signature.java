package org.rnn4j.tensorflow;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.rnn4j.spi.CheckedCall;

/**
 * What a graph is built for: every input's shape, whether a mask is fed, and which layers' initial
 * states are fed. Calls with the same signature share one graph.
 */
record Signature(List<List<Integer>> inputShapes, boolean mask, Set<Integer> statefulLayers) {
  static Signature of(CheckedCall call) {
    return new Signature(
        call.inputs().stream().map(t -> Arrays.stream(t.shape()).boxed().toList()).toList(),
        call.mask() != null,
        Set.copyOf(call.initialStates().layers()));
  }

  /** The (first) input's shape. */
  int[] shape() {
    return shape(0);
  }

  int[] shape(int input) {
    return inputShapes.get(input).stream().mapToInt(Integer::intValue).toArray();
  }
}

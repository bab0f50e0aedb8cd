package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.RNNCell;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;

/**
 * One prepared model's weights in the forms the kernels want, converted on first use and kept:
 * per-cell equations for the exact path, packed panels for the fast path.
 */
final class WeightCache {
  private final Map<String, List<ExactCell>> exact = new ConcurrentHashMap<>();
  private final Map<String, List<FastCell>> fast = new ConcurrentHashMap<>();
  private final Map<String, FastDense> dense = new ConcurrentHashMap<>();

  List<ExactCell> exactCells(String key, RNNCell cell, int inputSize, List<Tensor> weights) {
    return exact.computeIfAbsent(key, k -> CellSteps.of(cell, inputSize, weights).stream().map(ExactCell::new).toList());
  }

  List<FastCell> fastCells(String key, RNNCell cell, int inputSize, List<Tensor> weights) {
    return fast.computeIfAbsent(key, k -> {
      List<SingleCell> cells = cell.cells();
      List<FastCell> out = new ArrayList<>();
      int in = inputSize;
      int w = 0;
      for (SingleCell c : cells) {
        int n = c.useBias() ? 3 : 2;
        out.add(FastCell.of(c, in, weights.subList(w, w + n)));
        w += n;
        in = c.units();
      }
      return List.copyOf(out);
    });
  }

  /** A Dense layer's kernel and bias packed for the fast kernels. */
  FastDense fastDense(String key, Dense layer, List<Tensor> weights) {
    return dense.computeIfAbsent(key, k -> FastDense.of(layer, weights));
  }
}

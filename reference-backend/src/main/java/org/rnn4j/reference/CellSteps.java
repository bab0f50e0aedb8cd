package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNNCell;
import org.rnn4j.layers.SimpleRNNCell;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;

/** Builds the {@link CellStep}s of a cell (one per cell of a stack) from its Keras weights. */
final class CellSteps {
  private CellSteps() {}

  static List<CellStep> of(RNNCell cell, int inputSize, List<Tensor> weights) {
    List<SingleCell> cells = cell.cells();
    List<CellStep> steps = new ArrayList<>();
    int in = inputSize;
    int w = 0;
    for (SingleCell c : cells) {
      float[] kernel = weights.get(w++).toArray();
      float[] recurrent = weights.get(w++).toArray();
      float[] bias = c.useBias() ? weights.get(w++).toArray() : null;
      steps.add(single(c, in, kernel, recurrent, bias));
      in = c.units();
    }
    return List.copyOf(steps);
  }

  private static CellStep single(SingleCell c, int in, float[] kernel, float[] recurrent, float[] bias) {
    if (c instanceof LSTMCell l) {
      return new LstmStep(l, in, kernel, recurrent, bias);
    }
    if (c instanceof GRUCell g) {
      return new GruStep(g, in, kernel, recurrent, bias);
    }
    return new SimpleRnnStep((SimpleRNNCell) c, in, kernel, recurrent, bias);
  }
}

package org.rnn4j.training;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;

/**
 * Samples to train or evaluate on: the model's inputs (each with the samples on its first axis)
 * and the target of its first output (the same number of samples).
 */
public record Dataset(List<Tensor> inputs, Tensor target) {

  public Dataset {
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new InvalidInputException("a dataset needs at least one input");
    }
    int n = samples(target, "target");
    for (int k = 0; k < inputs.size(); k++) {
      int m = samples(inputs.get(k), "input " + k);
      if (m != n) {
        throw new InvalidInputException("input " + k + " has " + m + " samples, the target " + n);
      }
    }
  }

  /** One input and its target. */
  public static Dataset of(Tensor input, Tensor target) {
    return new Dataset(List.of(input), target);
  }

  private static int samples(Tensor t, String what) {
    if (t.rank() == 0 || t.dim(0) == 0) {
      throw new InvalidInputException(what + " must hold at least one sample on its first axis, got shape " + Shapes.format(t.shape()));
    }
    return t.dim(0);
  }

  /** The number of samples. */
  public int size() {
    return target.dim(0);
  }

  /** The samples at {@code rows}, in that order. */
  public Dataset rows(int[] rows) {
    List<Tensor> in = new ArrayList<>();
    for (Tensor t : inputs) {
      in.add(gather(t, rows));
    }
    return new Dataset(in, gather(target, rows));
  }

  /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
  public Dataset range(int from, int to) {
    int[] rows = new int[to - from];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = from + i;
    }
    return rows(rows);
  }

  private static Tensor gather(Tensor t, int[] rows) {
    int[] shape = t.shape();
    int row = t.size() / shape[0];
    float[] src = t.toArray();
    float[] out = new float[rows.length * row];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(src, rows[i] * row, out, i * row, row);
    }
    shape[0] = rows.length;
    return Tensor.wrap(shape, out);
  }
}

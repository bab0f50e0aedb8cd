package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Call;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.StackedRNNCells;

/**
 * Properties every backend must have: a sequence run in two calls with the state carried equals
 * one call; batch rows are independent; results do not depend on batch size. Within 1e-6: the
 * same arithmetic on differently shaped work may round differently in a backend's kernels.
 */
final class PropertySuite {
  static final double TOL = 1e-6;

  private PropertySuite() {}

  private static Model stacked(long seed) {
    RNN layer =
        RNN.builder(StackedRNNCells.of(LSTMCell.of(8), LSTMCell.of(5))).returnSequences(true).returnState(true).build();
    return Model.initialized(Sequential.of(InputSpec.sequence(6), layer), seed);
  }

  static Stream<DynamicNode> tests(ContractContext ctx) {
    return Stream.of(
        dynamicTest("T steps = T1 steps, then T2 steps with the carried state", () -> split(ctx, stacked(3), 4, 9, 4)),
        dynamicTest("T steps = T1 steps, then T2 steps (single LSTM, one step then the rest)", () -> split(ctx,
            Model.initialized(Sequential.of(InputSpec.sequence(3), LSTM.builder(7).returnSequences(true).returnState(true).build()), 4), 3, 6, 1)),
        dynamicTest("batch rows are independent of each other", () -> rows(ctx, stacked(5), 7, 5)),
        dynamicTest("results do not depend on batch size", () -> batchSizes(ctx, stacked(6), 5)));
  }

  private static void split(ContractContext ctx, Model m, int batch, int steps, int first) {
    int f = m.architecture().inputs().get(0).shape()[1];
    Tensor x = RandomData.uniform(11, -1, 1, batch, steps, f);
    try (PreparedModel p = ctx.backend().prepare(m)) {
      Result whole = p.run(x);
      Result a = p.run(slice(x, 0, first));
      Result b = p.run(Call.of(slice(x, first, steps)).withInitialStates(a.finalStates()));
      Tensor joined = concatTime(a.output(), b.output());
      Checks.assertClose("sequence", whole.output(), joined, TOL, 0);
      List<Tensor> ws = whole.flatStates();
      List<Tensor> bs = b.flatStates();
      assertEquals(ws.size(), bs.size());
      for (int i = 0; i < ws.size(); i++) {
        Checks.assertClose("state " + i, ws.get(i), bs.get(i), TOL, 0);
      }
    }
  }

  private static void rows(ContractContext ctx, Model m, int batch, int steps) {
    Tensor x = RandomData.uniform(12, -1, 1, batch, steps, 6);
    try (PreparedModel p = ctx.backend().prepare(m)) {
      Result all = p.run(x);
      for (int b = 0; b < batch; b++) {
        Result one = p.run(slice0(x, b));
        Checks.assertClose("row " + b, slice0(all.output(), b), one.output(), TOL, 0);
        for (int s = 0; s < one.flatStates().size(); s++) {
          Checks.assertClose("row " + b + " state " + s, slice0(all.flatStates().get(s), b), one.flatStates().get(s), TOL, 0);
        }
      }
    }
  }

  private static void batchSizes(ContractContext ctx, Model m, int steps) {
    Tensor x = RandomData.uniform(13, -1, 1, 64, steps, 6);
    try (PreparedModel p = ctx.backend().prepare(m)) {
      Result big = p.run(x);
      for (int n : new int[] {1, 7, 33}) {
        Result small = p.run(firstRows(x, n));
        Checks.assertClose("batch " + n, firstRows(big.output(), n), small.output(), TOL, 0);
      }
    }
  }

  /** x[:, from:to, :]. */
  static Tensor slice(Tensor x, int from, int to) {
    int b = x.dim(0);
    int t = x.dim(1);
    int f = x.dim(2);
    float[] d = new float[b * (to - from) * f];
    float[] src = x.toArray();
    for (int i = 0; i < b; i++) {
      System.arraycopy(src, (i * t + from) * f, d, i * (to - from) * f, (to - from) * f);
    }
    return Tensor.wrap(new int[] {b, to - from, f}, d);
  }

  /** x[b:b+1]. */
  static Tensor slice0(Tensor x, int b) {
    return rowsFrom(x, b, 1);
  }

  static Tensor firstRows(Tensor x, int n) {
    return rowsFrom(x, 0, n);
  }

  private static Tensor rowsFrom(Tensor x, int from, int n) {
    int[] s = x.shape();
    int per = x.size() / s[0];
    float[] d = new float[n * per];
    System.arraycopy(x.toArray(), from * per, d, 0, n * per);
    s[0] = n;
    return Tensor.wrap(s, d);
  }

  static Tensor concatTime(Tensor a, Tensor b) {
    int batch = a.dim(0);
    int ta = a.dim(1);
    int tb = b.dim(1);
    int f = a.dim(2);
    float[] d = new float[batch * (ta + tb) * f];
    float[] da = a.toArray();
    float[] db = b.toArray();
    for (int i = 0; i < batch; i++) {
      System.arraycopy(da, i * ta * f, d, i * (ta + tb) * f, ta * f);
      System.arraycopy(db, i * tb * f, d, (i * (ta + tb) + ta) * f, tb * f);
    }
    return Tensor.wrap(new int[] {batch, ta + tb, f}, d);
  }
}

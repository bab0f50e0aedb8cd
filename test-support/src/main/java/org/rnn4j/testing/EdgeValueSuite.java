package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Model;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNN;

/**
 * NaN, infinities and huge finite values, which are data to Keras, not errors: NaN propagates
 * through the products it enters, infinities saturate the squashing activations (sigmoid(−∞) = 0,
 * tanh(+∞) = 1) and huge finite values saturate them without turning into NaN.
 */
final class EdgeValueSuite {
  private EdgeValueSuite() {}

  /** Inputs at and beyond float32's range, where naive formulas overflow. */
  static final float[] EDGES = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1e30f, 1e4f, -1e4f, 88.8f, -88.8f, 89f, -104f,
    20f, -20f, 1e-30f, -1e-30f, 0f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE
  };

  static Stream<DynamicNode> tests(ContractContext ctx) {
    List<DynamicNode> tests = new ArrayList<>();
    for (Activation a : Activation.values()) {
      if (a.elementwise()) {
        tests.add(dynamicTest("activation " + a + " at NaN, ±Inf and huge values matches its Keras definition", () -> activation(ctx, a)));
      } else {
        tests.add(dynamicTest("activation " + a + " on rows of huge values matches its Keras definition (float64)", () -> rowActivation(ctx, a)));
      }
    }
    tests.add(dynamicTest("sigmoid(-1e4) = 0, sigmoid(1e4) = 1, tanh(±1e30) = ±1 (within 1e-30), infinities likewise", () -> saturation(ctx)));
    for (RNN layer : List.of(LSTM.builder(5).returnSequences(true).build(), GRU.builder(5).returnSequences(true).build(),
        SimpleRNN.builder(5).returnSequences(true).build())) {
      tests.add(dynamicTest(layer.cell().kerasClassName() + ": NaN in one step of one row poisons that row from that step on, only", () -> nanRow(ctx, layer)));
      tests.add(dynamicTest(layer.cell().kerasClassName() + ": huge inputs saturate the gates without NaN", () -> hugeInputs(ctx, layer)));
    }
    return tests.stream().map(DynamicNode.class::cast);
  }

  /** One value per batch row through Dense(1) with kernel 1 and no bias: the output is f(x). */
  private static Tensor applied(ContractContext ctx, Activation a, float[] xs) {
    Sequential arch = Sequential.of(InputSpec.of(1), Dense.builder(1).activation(a).useBias(false).build());
    Model m = Model.of(arch, List.of(Tensor.wrap(new int[] {1, 1}, new float[] {1f})));
    return ctx.run(m, Tensor.wrap(new int[] {xs.length, 1}, xs.clone())).output();
  }

  private static void activation(ContractContext ctx, Activation a) {
    Tensor y = applied(ctx, a, EDGES);
    for (int i = 0; i < EDGES.length; i++) {
      assertClose(a.apply(EDGES[i]), y.getFlat(i), a + "(" + EDGES[i] + ")");
    }
  }

  /** Rows of huge and tied values through Activation(a), against the float64 definition. */
  private static void rowActivation(ContractContext ctx, Activation a) {
    float[][] rows = {{1e4f, -1e4f, 0f, 1f}, {88.8f, 88.7f, -88f, 0f}, {1e30f, 1e30f, -1e30f, 5f}, {-3e38f, 0f, 0f, 0f}};
    Sequential arch = Sequential.of(InputSpec.of(4), ActivationLayer.of(a));
    Tensor y = ctx.run(Model.of(arch, List.of()), Tensor.of(rows)).output();
    int width = a.outputWidth(4);
    for (int r = 0; r < rows.length; r++) {
      double[] row = new double[4];
      for (int j = 0; j < 4; j++) {
        row[j] = rows[r][j];
      }
      double[] expected = OracleActivations.apply(a, row);
      for (int j = 0; j < width; j++) {
        assertClose((float) expected[j], y.get(r, j), a + " of row " + r + " at " + j);
      }
    }
  }

  private static void saturation(ContractContext ctx) {
    float[] xs = {-1e4f, 1e4f, -1e30f, 1e30f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
    for (Activation a : List.of(Activation.SIGMOID, Activation.TANH)) {
      Tensor y = applied(ctx, a, xs);
      for (int i = 0; i < xs.length; i++) {
        float expected = a == Activation.SIGMOID ? (xs[i] > 0 ? 1f : 0f) : Math.signum(xs[i]);
        assertEquals(expected, y.getFlat(i), 1e-30, a + "(" + xs[i] + ")");
      }
    }
  }

  private static void nanRow(ContractContext ctx, RNN layer) {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(3), layer), 11);
    Tensor clean = RandomData.uniform(12, -1, 1, 2, 4, 3);
    float[] d = clean.toArray();
    d[(0 * 4 + 2) * 3 + 1] = Float.NaN; // row 0, step 2, feature 1
    Tensor y = ctx.run(m, Tensor.wrap(clean.shape(), d)).output();
    Tensor ref = ctx.run(m, clean).output();
    for (int t = 0; t < 4; t++) {
      for (int u = 0; u < 5; u++) {
        float row0 = y.get(0, t, u);
        if (t < 2) {
          assertEquals(ref.get(0, t, u), row0, 0f, "row 0 before the NaN step");
        } else {
          assertTrue(Float.isNaN(row0), "row 0 at step " + t + " unit " + u + ": expected NaN, got " + row0);
        }
        assertEquals(ref.get(1, t, u), y.get(1, t, u), 0f, "row 1 is independent of row 0");
      }
    }
  }

  private static void hugeInputs(ContractContext ctx, RNN layer) {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(3), layer), 13);
    float[] d = new float[2 * 3 * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = (i % 2 == 0 ? 1 : -1) * (i % 3 == 0 ? 1e30f : 1e4f);
    }
    Tensor x = Tensor.wrap(new int[] {2, 3, 3}, d);
    Result r = ctx.run(m, x);
    Tensor expected = Float64Oracle.run(m, org.rnn4j.Call.of(x)).output();
    for (int i = 0; i < r.output().size(); i++) {
      float v = r.output().getFlat(i);
      assertFalse(Float.isNaN(v), "output " + i + " is NaN");
      assertClose(expected.getFlat(i), v, "output " + i);
    }
  }

  /** NaN matches NaN, infinities match exactly, finite values within 1e-5 + 1e-6·|expected|. */
  static void assertClose(float expected, float actual, String what) {
    if (Float.isNaN(expected) || Float.isInfinite(expected)) {
      assertEquals(expected, actual, 0f, what);
      return;
    }
    assertTrue(Math.abs(expected - actual) <= 1e-5 + 1e-6 * Math.abs(expected), what + ": expected " + expected + ", got " + actual);
  }
}

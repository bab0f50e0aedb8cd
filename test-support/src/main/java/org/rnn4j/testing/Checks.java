package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.opentest4j.AssertionFailedError;
import org.rnn4j.Result;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;
import org.rnn4j.TensorDiff;

/** Assertions on tensors and results with stated tolerances; failures say where and by how much. */
public final class Checks {
  /** The float32 tolerance of the parity tests: absolute, with no relative part. */
  public static final double ATOL = 1e-5;

  private Checks() {}

  /** Asserts {@code |actual - expected| <= atol + rtol·|expected|} element-wise; returns the diff. */
  public static TensorDiff assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
    if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
      throw new AssertionFailedError(
          what + ": shape " + Shapes.format(actual.shape()) + ", expected " + Shapes.format(expected.shape()));
    }
    TensorDiff d = TensorDiff.of(expected, actual, atol, rtol);
    if (!d.withinTolerance()) {
      throw new AssertionFailedError(
          what + ": max |diff| " + d.maxAbs() + " (" + d.maxUlp() + " ulp) at flat index " + d.worstIndex()
              + ": expected " + expected.getFlat(d.worstIndex()) + ", got " + actual.getFlat(d.worstIndex())
              + " (atol " + atol + ", rtol " + rtol + ")");
    }
    return d;
  }

  /**
   * Asserts two results agree: same number of outputs and returned states, every tensor within
   * tolerance, and the same final states for every recurrent layer. Returns the largest difference.
   */
  public static double assertResultsClose(String what, Result expected, Result actual, double atol, double rtol) {
    List<Tensor> e = expected.flat();
    List<Tensor> a = actual.flat();
    assertEquals(expected.flatNames(), actual.flatNames(), what + ": returned tensors");
    double worst = 0;
    for (int i = 0; i < e.size(); i++) {
      worst = Math.max(worst, assertClose(what + " " + expected.flatNames().get(i), e.get(i), a.get(i), atol, rtol).maxAbs());
    }
    assertEquals(expected.finalStates().layers(), actual.finalStates().layers(), what + ": layers with final states");
    for (int layer : expected.finalStates().layers()) {
      List<Tensor> es = expected.finalStates().get(layer);
      List<Tensor> as = actual.finalStates().get(layer);
      assertEquals(es.size(), as.size(), what + ": final states of layer " + layer);
      for (int s = 0; s < es.size(); s++) {
        worst = Math.max(worst, assertClose(what + " final state " + s + " of layer " + layer, es.get(s), as.get(s), atol, rtol).maxAbs());
      }
    }
    return worst;
  }
}

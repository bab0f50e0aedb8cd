package org.rnn4j.parity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;
import org.rnn4j.TensorDiff;

/**
 * One tensor of one backend compared with the same tensor of the baseline backend.
 *
 * @param tensor the tensor's name ({@code output}, {@code state_0}, ...)
 * @param label what Keras calls it ({@code output}, {@code h}, {@code c1}, ...)
 * @param shape its shape
 * @param backend the backend compared
 * @param baseline the backend it is compared with
 * @param diff the differences
 * @param pass whether every element is within tolerance
 * @param perStep for a sequence {@code (batch, time, features)}, the largest absolute difference at
 *     each time step; empty otherwise
 * @param firstFailingStep the first time step out of tolerance, or -1
 * @param expectedAtWorst the baseline's element where the difference is largest
 * @param actualAtWorst the compared backend's element there
 */
public record Comparison(
    String tensor,
    String label,
    int[] shape,
    String backend,
    String baseline,
    TensorDiff diff,
    boolean pass,
    double[] perStep,
    int firstFailingStep,
    float expectedAtWorst,
    float actualAtWorst) {

  static Comparison of(String tensor, String label, String backend, String baseline, Tensor expected, Tensor actual,
      Tolerance tol, boolean sequence) {
    TensorDiff d = TensorDiff.of(expected, actual, tol.atol(), tol.rtol());
    double[] steps = new double[0];
    int firstBad = -1;
    if (sequence && expected.rank() == 3) {
      int b = expected.dim(0);
      int t = expected.dim(1);
      int f = expected.dim(2);
      steps = new double[t];
      for (int s = 0; s < t; s++) {
        boolean bad = false;
        for (int i = 0; i < b; i++) {
          for (int j = 0; j < f; j++) {
            int k = (i * t + s) * f + j;
            float e = expected.getFlat(k);
            double diff = TensorDiff.difference(e, actual.getFlat(k));
            steps[s] = Math.max(steps[s], diff);
            bad |= diff > tol.atol() + (Float.isFinite(e) ? tol.rtol() * Math.abs(e) : 0);
          }
        }
        if (bad && firstBad < 0) {
          firstBad = s;
        }
      }
    }
    float e = expected.size() == 0 ? Float.NaN : expected.getFlat(d.worstIndex());
    float a = actual.size() == 0 ? Float.NaN : actual.getFlat(d.worstIndex());
    return new Comparison(tensor, label, expected.shape(), backend, baseline, d, d.withinTolerance(), steps, firstBad, e, a);
  }

  /** The same comparison under another name and label. */
  public Comparison renamed(String newTensor, String newLabel) {
    return new Comparison(newTensor, newLabel, shape, backend, baseline, diff, pass, perStep, firstFailingStep, expectedAtWorst,
        actualAtWorst);
  }

  /** The index, one coordinate per axis, of the element where the difference is largest. */
  public int[] worstIndex() {
    int[] index = new int[shape.length];
    int flat = diff.worstIndex();
    for (int axis = shape.length - 1; axis >= 0; axis--) {
      index[axis] = shape[axis] == 0 ? 0 : flat % shape[axis];
      flat = shape[axis] == 0 ? 0 : flat / shape[axis];
    }
    return index;
  }

  /**
   * For a sequence, how the error grows over time: the largest error up to a few time steps spread
   * over the sequence (1, 10, 100, ..., and the last), e.g. {@code t≤1: 1.2e-07, t≤10: 3.4e-07};
   * empty otherwise.
   */
  public String errorGrowth() {
    List<String> parts = new ArrayList<>();
    double running = 0;
    int next = 1;
    for (int s = 0; s < perStep.length; s++) {
      running = Math.max(running, perStep[s]);
      if (s + 1 == next || s == perStep.length - 1) {
        parts.add("t≤" + (s + 1) + ": " + scientific(running));
        next *= 10;
      }
    }
    return String.join(", ", parts);
  }

  /** {@code 1.23e-06}, {@code 0}, {@code inf}: how reports print a difference. */
  public static String scientific(double v) {
    if (Double.isInfinite(v)) {
      return "inf";
    }
    if (Double.isNaN(v)) {
      return "nan";
    }
    return v == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.2e", v);
  }

  public String shapeString() {
    return Shapes.format(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Comparison c && c.tensor.equals(tensor) && c.backend.equals(backend) && c.baseline.equals(baseline)
        && Arrays.equals(c.shape, shape) && c.diff.equals(diff) && Arrays.equals(c.perStep, perStep);
  }

  @Override
  public int hashCode() {
    return tensor.hashCode() * 31 + backend.hashCode();
  }
}

package org.rnn4j.parity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.Result;
import org.rnn4j.StateGroup;
import org.rnn4j.Tensor;

/**
 * Compares the results several backends gave for the same call, tensor by tensor, each against
 * the first backend's (the baseline).
 *
 * <pre>{@code
 * CrossCheck check = CrossCheck.of(Map.of("reference", r1, "tensorflow", r2), Tolerance.FLOAT32);
 * assertTrue(check.agree(), check.toString());
 * }</pre>
 */
public final class CrossCheck {
  private final Tolerance tolerance;
  private final List<Comparison> comparisons;

  private CrossCheck(Tolerance tolerance, List<Comparison> comparisons) {
    this.tolerance = tolerance;
    this.comparisons = List.copyOf(comparisons);
  }

  /**
   * Compares every backend's result with the first one's, in the map's iteration order.
   *
   * @throws IllegalArgumentException if the results do not have the same tensors and shapes
   */
  public static CrossCheck of(Map<String, Result> byBackend, Tolerance tolerance) {
    List<Map.Entry<String, Result>> entries = new ArrayList<>(byBackend.entrySet());
    List<Comparison> out = new ArrayList<>();
    if (entries.isEmpty()) {
      return new CrossCheck(tolerance, out);
    }
    String baseline = entries.get(0).getKey();
    Result base = entries.get(0).getValue();
    List<String> names = base.flatNames();
    List<String> labels = labels(base);
    for (int b = 1; b < entries.size(); b++) {
      Result other = entries.get(b).getValue();
      if (!other.flatNames().equals(names)) {
        throw new IllegalArgumentException(
            entries.get(b).getKey() + " returned " + other.flatNames() + ", " + baseline + " returned " + names);
      }
      for (int i = 0; i < names.size(); i++) {
        Tensor e = base.flat().get(i);
        Tensor a = other.flat().get(i);
        boolean sequence = i < base.outputs().size();
        out.add(Comparison.of(names.get(i), labels.get(i), entries.get(b).getKey(), baseline, e, a, tolerance, sequence));
      }
    }
    return new CrossCheck(tolerance, out);
  }

  /**
   * Compares a stream of calls (successive calls of a stateful model, say): call by call, every
   * backend's result with the first backend's; tensors are named {@code call_k/output}, ... and
   * labelled {@code call k: output}, ...
   *
   * @throws IllegalArgumentException if the backends made different numbers of calls or returned
   *     different tensors
   */
  public static CrossCheck ofStream(Map<String, List<Result>> byBackend, Tolerance tolerance) {
    List<Comparison> out = new ArrayList<>();
    List<Map.Entry<String, List<Result>>> entries = new ArrayList<>(byBackend.entrySet());
    int calls = entries.isEmpty() ? 0 : entries.get(0).getValue().size();
    for (Map.Entry<String, List<Result>> e : entries) {
      if (e.getValue().size() != calls) {
        throw new IllegalArgumentException(e.getKey() + " made " + e.getValue().size() + " calls, " + entries.get(0).getKey() + " " + calls);
      }
    }
    for (int k = 0; k < calls; k++) {
      Map<String, Result> call = new LinkedHashMap<>();
      for (Map.Entry<String, List<Result>> e : entries) {
        call.put(e.getKey(), e.getValue().get(k));
      }
      for (Comparison c : of(call, tolerance).comparisons()) {
        out.add(c.renamed("call_" + k + "/" + c.tensor(), "call " + k + ": " + c.label()));
      }
    }
    return new CrossCheck(tolerance, out);
  }

  /**
   * Compares every backend's named tensors (gradients, say) with the first backend's, in the map's
   * iteration order; tensors named in {@code sequences} are compared step by step along axis 1.
   *
   * @throws IllegalArgumentException if the backends do not have the same names
   */
  public static CrossCheck ofTensors(Map<String, Map<String, Tensor>> byBackend, Tolerance tolerance, java.util.Set<String> sequences) {
    List<Map.Entry<String, Map<String, Tensor>>> entries = new ArrayList<>(byBackend.entrySet());
    List<Comparison> out = new ArrayList<>();
    for (int b = 1; b < entries.size(); b++) {
      Map<String, Tensor> base = entries.get(0).getValue();
      Map<String, Tensor> other = entries.get(b).getValue();
      if (!other.keySet().equals(base.keySet())) {
        throw new IllegalArgumentException(
            entries.get(b).getKey() + " returned " + other.keySet() + ", " + entries.get(0).getKey() + " returned " + base.keySet());
      }
      for (Map.Entry<String, Tensor> e : base.entrySet()) {
        out.add(Comparison.of(e.getKey(), e.getKey(), entries.get(b).getKey(), entries.get(0).getKey(), e.getValue(),
            other.get(e.getKey()), tolerance, sequences.contains(e.getKey())));
      }
    }
    return new CrossCheck(tolerance, out);
  }

  /** The name of the baseline in a check against recorded outputs. */
  public static final String KERAS = "keras";

  /**
   * Compares every backend's result with outputs recorded in Python, the baseline named {@value
   * #KERAS}; a tensor of rank 3 among the outputs is compared step by step.
   *
   * @throws org.rnn4j.InvalidInputException if the recording does not hold what the model returns
   */
  public static CrossCheck againstRecorded(RecordedOutputs recorded, Map<String, Result> byBackend, Tolerance tolerance) {
    List<Comparison> out = new ArrayList<>();
    for (Map.Entry<String, Result> b : byBackend.entrySet()) {
      Map<String, Tensor> actual = recorded.match(b.getValue());
      Map<String, String> labels = recorded.labels(b.getValue());
      int outputs = b.getValue().outputs().size();
      int i = 0;
      for (Map.Entry<String, Tensor> e : actual.entrySet()) {
        Tensor expected = recorded.arrays().get(e.getKey());
        out.add(Comparison.of(e.getKey(), labels.get(e.getKey()), b.getKey(), KERAS, expected, e.getValue(), tolerance,
            i++ < outputs));
      }
    }
    return new CrossCheck(tolerance, out);
  }

  /** Keras' names of the flat tensors: output(s), then each state's name with its cell. */
  static List<String> labels(Result r) {
    List<String> labels = new ArrayList<>(r.outputLabels());
    List<StateGroup> groups = r.states();
    for (int k = 0; k < groups.size(); k++) {
      for (String n : groups.get(k).names()) {
        labels.add(n + (r.statesNested() ? String.valueOf(k + 1) : "") + " (" + groups.get(k).label() + ")");
      }
    }
    return labels;
  }

  public Tolerance tolerance() {
    return tolerance;
  }

  /** Every comparison, backend by backend, tensor by tensor. */
  public List<Comparison> comparisons() {
    return comparisons;
  }

  /** Whether every tensor of every backend is within tolerance of the baseline. */
  public boolean agree() {
    return comparisons.stream().allMatch(Comparison::pass);
  }

  /** The largest absolute difference over all comparisons. */
  public double maxAbs() {
    return comparisons.stream().mapToDouble(c -> c.diff().maxAbs()).max().orElse(0);
  }

  /** Comparisons grouped by backend. */
  public Map<String, List<Comparison>> byBackend() {
    Map<String, List<Comparison>> m = new LinkedHashMap<>();
    comparisons.forEach(c -> m.computeIfAbsent(c.backend(), k -> new ArrayList<>()).add(c));
    return m;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CrossCheck(" + tolerance + ")");
    for (Comparison c : comparisons) {
      sb.append("\n  ").append(c.tensor()).append(' ').append(c.backend()).append(" vs ").append(c.baseline())
          .append(": max |diff| ").append(c.diff().maxAbs()).append(c.pass() ? " ok" : " FAIL");
    }
    return sb.toString();
  }
}

package org.rnn4j.testing;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;

/** The backend under test, with helpers to run models and a log of the worst errors seen per suite. */
public final class ContractContext {
  private final Backend backend;
  private final String label;
  private final Map<String, double[]> worst = new TreeMap<>();

  public ContractContext(Backend backend, String label) {
    this.backend = backend;
    this.label = label;
  }

  /** The label of the backend configuration under test, for messages. */
  public String label() {
    return label;
  }

  public Backend backend() {
    return backend;
  }

  /** Prepares, runs once, closes. */
  public Result run(Model model, Call call) {
    try (PreparedModel p = backend.prepare(model)) {
      return p.run(call);
    }
  }

  public Result run(Model model, Tensor input) {
    return run(model, Call.of(input));
  }

  /** Records an observed error under a suite name. */
  public synchronized void record(String suite, double error) {
    worst.computeIfAbsent(suite, k -> new double[1]);
    double[] w = worst.get(suite);
    w[0] = Math.max(w[0], error);
  }

  /** One line per suite with its worst absolute error. */
  public synchronized String report() {
    StringBuilder sb = new StringBuilder();
    worst.forEach(
        (suite, w) ->
            sb.append(String.format(Locale.ROOT, "[%s] worst |error| in %s: %.3e%n", label, suite, w[0])));
    return sb.toString();
  }
}

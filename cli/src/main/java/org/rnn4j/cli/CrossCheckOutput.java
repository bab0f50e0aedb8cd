package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.parity.Comparison;
import org.rnn4j.parity.CrossCheck;

/** Renders a {@link CrossCheck}: an aligned table for people, a JSON array for programs. */
final class CrossCheckOutput {
  private CrossCheckOutput() {}

  static String table(CrossCheck check, String indent) {
    TextTable t = new TextTable("tensor", "shape", "backend", "vs", "max |diff|", "max ulp", "result").right(4, 5);
    for (Comparison c : check.comparisons()) {
      t.add(c.label(), c.shapeString(), c.backend(), c.baseline(), Numbers.sci(c.diff().maxAbs()),
          Numbers.ulps(c.diff().maxUlp()), c.pass() ? "ok" : "FAIL");
    }
    StringBuilder sb = new StringBuilder(t.render(indent));
    for (Comparison c : check.comparisons()) {
      if (c.perStep().length > 1) {
        sb.append(indent).append(c.label()).append(", ").append(c.backend()).append(" vs ").append(c.baseline())
            .append(": ").append(c.firstFailingStep() < 0 ? "every time step within tolerance" : "first out of tolerance at time step " + c.firstFailingStep())
            .append("; error growth ").append(growth(c.perStep())).append('\n');
      }
    }
    return sb.toString();
  }

  /** The largest error up to a few time steps spread over the sequence (1, 10, 100, ..., and the last). */
  static String growth(double[] perStep) {
    List<String> parts = new ArrayList<>();
    double running = 0;
    int next = 1;
    for (int s = 0; s < perStep.length; s++) {
      running = Math.max(running, perStep[s]);
      if (s + 1 == next || s == perStep.length - 1) {
        parts.add("t≤" + (s + 1) + ": " + Numbers.sci(running));
        next *= 10;
      }
    }
    return String.join(", ", parts);
  }

  static ArrayNode json(CrossCheck check) {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
    for (Comparison c : check.comparisons()) {
      ObjectNode o = arr.addObject();
      o.put("tensor", c.tensor());
      o.put("label", c.label());
      ArrayNode shape = o.putArray("shape");
      for (int d : c.shape()) {
        shape.add(d);
      }
      o.put("backend", c.backend());
      o.put("baseline", c.baseline());
      o.put("max_abs_diff", c.diff().maxAbs());
      o.put("max_ulp_diff", c.diff().maxUlp());
      o.put("pass", c.pass());
      if (c.perStep().length > 0) {
        o.put("first_failing_step", c.firstFailingStep() < 0 ? null : c.firstFailingStep());
        ArrayNode steps = o.putArray("max_abs_diff_by_step");
        for (double d : c.perStep()) {
          steps.add(d);
        }
      }
    }
    return arr;
  }
}

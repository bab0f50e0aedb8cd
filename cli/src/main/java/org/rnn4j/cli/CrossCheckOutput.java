package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
      if (!c.pass()) {
        sb.append(indent).append(c.label()).append(", ").append(c.backend()).append(" vs ").append(c.baseline())
            .append(": worst at index ").append(java.util.Arrays.toString(c.worstIndex())).append(", ").append(c.baseline())
            .append(' ').append(c.expectedAtWorst()).append(", ").append(c.backend()).append(' ').append(c.actualAtWorst())
            .append('\n');
      }
    }
    for (Comparison c : check.comparisons()) {
      if (c.perStep().length > 1) {
        sb.append(indent).append(c.label()).append(", ").append(c.backend()).append(" vs ").append(c.baseline())
            .append(": ").append(c.firstFailingStep() < 0 ? "every time step within tolerance" : "first out of tolerance at time step " + c.firstFailingStep())
            .append("; error growth ").append(c.errorGrowth()).append('\n');
      }
    }
    return sb.toString();
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
      ArrayNode worst = o.putArray("worst_index");
      for (int i : c.worstIndex()) {
        worst.add(i);
      }
      o.put("expected_at_worst", c.expectedAtWorst());
      o.put("actual_at_worst", c.actualAtWorst());
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

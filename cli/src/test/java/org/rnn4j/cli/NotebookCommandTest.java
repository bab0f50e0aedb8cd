package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Call;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.Float64Oracle;

class NotebookCommandTest {
  @Test
  void replaysBothExperimentsOnEveryBackendAndAgrees() {
    CliRunner.Outcome o = CliRunner.run("notebook");
    assertEquals(0, o.exitCode(), o.err());
    String out = o.out();
    assertTrue(out.contains("on reference, tensorflow"), out);
    assertTrue(out.contains("seed 42"), out);
    assertTrue(out.contains("== Experiment 1: one LSTM cell") && out.contains("== Experiment 2: stacked LSTM"), out);
    assertTrue(out.contains("Output shape:  (1, 1, 4)") && out.contains("Output shape:  (2, 3, 5)"), out);
    assertTrue(out.contains("final_memory_state = h, the final hidden state, shape (1, 4)"), out);
    assertTrue(out.contains("final_memory_state = [h1, c1], the final states of cell lstm_cell "), out);
    assertTrue(out.contains("final_carry_state = [h2, c2], the final states of cell lstm_cell_1 "), out);
    assertTrue(out.contains("  h2 shape (2, 5):"), out);
    assertTrue(out.contains("h1 (lstm_cell)") && out.contains("c2 (lstm_cell_1)"), out);
    assertTrue(out.strip().endsWith("All backends agree within tolerance."), out);
    assertFalse(out.contains("FAIL"), out);
  }

  @Test
  void printsJsonWithEveryBackendsResultsMatchingAnIndependentOracle() throws Exception {
    CliRunner.Outcome o = CliRunner.run("notebook", "--format", "json", "--seed", "7");
    assertEquals(0, o.exitCode(), o.err());
    JsonNode root = new ObjectMapper().readTree(o.out());
    for (String key : List.of("rnn4j_version", "backends", "java", "os", "tolerance", "seed", "experiments", "agree")) {
      assertTrue(root.has(key), "JSON has " + key);
    }
    assertEquals(7, root.get("seed").asInt());
    assertTrue(root.get("agree").asBoolean());
    List<NotebookExperiments.Experiment> experiments = NotebookExperiments.all(7);
    for (int i = 0; i < 2; i++) {
      JsonNode e = root.get("experiments").get(i);
      Result oracle = Float64Oracle.run(experiments.get(i).model(), Call.of(experiments.get(i).input()));
      for (String backend : List.of("reference", "tensorflow")) {
        JsonNode output = e.get("results").get(backend).get("outputs").get(0);
        Checks.assertClose(backend + " experiment " + (i + 1), oracle.output(), tensor(output), Checks.ATOL, 0);
      }
      JsonNode cmp = e.get("comparisons").get(0);
      for (String key : List.of("tensor", "label", "shape", "backend", "baseline", "max_abs_diff", "max_ulp_diff", "pass")) {
        assertTrue(cmp.has(key), "comparison has " + key);
      }
      assertEquals(i == 0 ? 3 : 5, e.get("comparisons").size());
    }
    assertTrue(root.get("experiments").get(1).get("results").get("reference").get("states_nested").asBoolean());
  }

  static Tensor tensor(JsonNode node) {
    int[] shape = new int[node.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get("shape").get(i).asInt();
    }
    float[] data = new float[node.get("data").size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) node.get("data").get(i).asDouble();
    }
    return Tensor.of(shape, data);
  }

  @Test
  void exitsWith1WhenBackendsDisagreeAnd2OnBadUsage() {
    CliRunner.Outcome strict = CliRunner.run("notebook", "--atol", "0");
    assertEquals(1, strict.exitCode(), strict.out());
    assertTrue(strict.out().contains("FAIL") && strict.out().contains("DISAGREE"), strict.out());
    CliRunner.Outcome unknown = CliRunner.run("notebook", "--backends", "reference,cuda");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.errorLine().contains("unknown backend 'cuda' (known: reference, tensorflow)"), unknown.err());
    CliRunner.Outcome format = CliRunner.run("notebook", "--format", "xml");
    assertEquals(2, format.exitCode());
    assertTrue(format.err().contains("--format"), format.err());
    CliRunner.Outcome negative = CliRunner.run("notebook", "--atol", "-1");
    assertEquals(2, negative.exitCode());
    assertTrue(negative.errorLine().contains("tolerances must be finite and non-negative"), negative.err());
  }

  @Test
  void runsOnOneBackendAlone() {
    CliRunner.Outcome o = CliRunner.run("notebook", "--backend", "tensorflow");
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("only one backend ran"), o.out());
  }
}

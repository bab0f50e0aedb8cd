package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.Backend;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Shapes;
import org.rnn4j.StateGroup;
import org.rnn4j.Tensor;
import org.rnn4j.parity.CrossCheck;
import org.rnn4j.parity.Tolerance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rnn4j notebook}: the seed notebook's experiments on every backend, cross-checked. */
@Command(
    name = "notebook",
    mixinStandardHelpOptions = true,
    description = {
      "Replay the seed notebook (lstm-notebook): an LSTM(4) on [[[3,2,2,2,2,2]]], then a stacked",
      "LSTM (LSTMCell(4), LSTMCell(5)) on its 2x3x6 batch, with Keras' default initializers and a seed.",
      "Prints what the notebook prints on each backend, labelled as Keras really returns it, then",
      "compares every tensor across backends."
    },
    footer = {
      "",
      "Examples:",
      "  rnn4j notebook",
      "  rnn4j notebook --backends tensorflow --seed 7 --format json",
      "",
      ExitCodes.DOCUMENTATION
    })
final class NotebookCommand implements Callable<Integer> {
  static final long DEFAULT_SEED = 42;

  @Spec CommandSpec spec;
  @Mixin BackendChoice backendChoice;
  @Mixin VerboseOption verbose;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "" + DEFAULT_SEED, description = "Seed of the initial weights (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin CrossCheckOptions crossCheck;

  @Override
  public Integer call() throws Exception {
    Tolerance tolerance = crossCheck.tolerance();
    List<String> names = crossCheck.backendNames();
    backendChoice.requireKnown(names);
    List<NotebookExperiments.Experiment> experiments = NotebookExperiments.all(seed);
    List<Map<String, Result>> results = new java.util.ArrayList<>();
    for (NotebookExperiments.Experiment e : experiments) {
      results.add(new LinkedHashMap<>());
    }
    for (String name : names) {
      try (Backend b = backendChoice.open(name)) {
        for (int i = 0; i < experiments.size(); i++) {
          try (PreparedModel p = b.prepare(experiments.get(i).model())) {
            results.get(i).put(name, p.run(experiments.get(i).input()));
          }
        }
      }
    }
    boolean agree = true;
    List<CrossCheck> checks = new java.util.ArrayList<>();
    for (Map<String, Result> r : results) {
      CrossCheck c = CrossCheck.of(r, tolerance);
      checks.add(c);
      agree &= c.agree();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (crossCheck.format == OutputFormat.JSON) {
      out.println(json(names, tolerance, experiments, results, checks, agree));
    } else {
      text(out, names, tolerance, experiments, results, checks, agree);
    }
    out.flush();
    return agree ? ExitCodes.OK : ExitCodes.DISAGREEMENT;
  }

  private void text(PrintWriter out, List<String> names, Tolerance tolerance, List<NotebookExperiments.Experiment> experiments,
      List<Map<String, Result>> results, List<CrossCheck> checks, boolean agree) {
    out.println("rnn4j notebook: the seed notebook's experiments on " + String.join(", ", names));
    out.println("weights: Keras' default initializers (kernel glorot_uniform, recurrent orthogonal, bias zeros with forget"
        + " gate 1), seed " + seed + ", the same on every backend");
    for (int i = 0; i < experiments.size(); i++) {
      NotebookExperiments.Experiment e = experiments.get(i);
      out.println();
      out.println("== Experiment " + (i + 1) + ": " + e.title());
      out.println("   Keras: " + e.keras());
      out.println("   input " + Shapes.format(e.input().shape()) + ":");
      out.println(indent(e.input().toFullString(), "   "));
      for (Map.Entry<String, Result> r : results.get(i).entrySet()) {
        out.println();
        out.println("-- " + r.getKey());
        printLikeTheNotebook(out, e, r.getValue());
      }
      out.println();
      if (names.size() < 2) {
        out.println("-- cross-check: only one backend ran, nothing to compare");
      } else {
        out.println("-- cross-check (" + tolerance + ")");
        out.print(CrossCheckOutput.table(checks.get(i), "   "));
      }
    }
    out.println();
    if (names.size() > 1) {
      out.println(agree ? "All backends agree within tolerance." : "Backends DISAGREE beyond tolerance (see FAIL above).");
    }
  }

  /**
   * What the notebook prints (shape, then values, of each returned value), with each value
   * labelled as Keras returns it: a single LSTM returns output, h, c; the stacked RNN returns
   * output, [h1, c1], [h2, c2] — one list per cell, not "memory" and "carry" of one cell.
   */
  private static void printLikeTheNotebook(PrintWriter out, NotebookExperiments.Experiment e, Result r) {
    List<String> nb = e.notebookNames();
    out.println("Output shape:  " + Shapes.format(r.output().shape()));
    out.println("Output :");
    out.println(indent(r.output().toFullString(), "  "));
    List<StateGroup> groups = r.states();
    if (!r.statesNested()) {
      StateGroup g = groups.get(0);
      for (int s = 0; s < g.tensors().size(); s++) {
        String what = g.names().get(s).equals("h") ? "h, the final hidden state" : "c, the final cell state";
        Tensor t = g.tensors().get(s);
        out.println(nb.get(1 + s) + " = " + what + ", shape " + Shapes.format(t.shape()) + ":");
        out.println(indent(t.toFullString(), "  "));
      }
      return;
    }
    for (int c = 0; c < groups.size(); c++) {
      StateGroup g = groups.get(c);
      String list = "[" + String.join(", ", suffixed(g.names(), c + 1)) + "]";
      out.println(nb.get(1 + c) + " = " + list + ", the final states of cell " + g.label()
          + " (the notebook calls it '" + nb.get(1 + c) + "', but it is one cell's [h, c] list):");
      for (int s = 0; s < g.tensors().size(); s++) {
        Tensor t = g.tensors().get(s);
        out.println("  " + g.names().get(s) + (c + 1) + " shape " + Shapes.format(t.shape()) + ":");
        out.println(indent(t.toFullString(), "    "));
      }
    }
  }

  private static List<String> suffixed(List<String> names, int k) {
    return names.stream().map(n -> n + k).toList();
  }

  static String indent(String text, String prefix) {
    return prefix + text.replace("\n", "\n" + prefix);
  }

  private String json(List<String> names, Tolerance tolerance, List<NotebookExperiments.Experiment> experiments,
      List<Map<String, Result>> results, List<CrossCheck> checks, boolean agree) throws Exception {
    ObjectNode root = Provenance.of(names, tolerance);
    root.put("command", "notebook");
    root.put("seed", seed);
    ArrayNode exps = root.putArray("experiments");
    for (int i = 0; i < experiments.size(); i++) {
      NotebookExperiments.Experiment e = experiments.get(i);
      ObjectNode x = exps.addObject();
      x.put("title", e.title());
      x.put("keras", e.keras());
      x.set("input", Json.tensor(e.input()));
      ObjectNode byBackend = x.putObject("results");
      for (Map.Entry<String, Result> r : results.get(i).entrySet()) {
        byBackend.set(r.getKey(), Json.result(r.getValue()));
      }
      x.set("comparisons", CrossCheckOutput.json(checks.get(i)));
      x.put("agree", checks.get(i).agree());
    }
    root.put("agree", agree);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
  }
}

package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.FileFormatException;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Shapes;
import org.rnn4j.StatefulModel;
import org.rnn4j.parity.CrossCheck;
import org.rnn4j.parity.RecordedOutputs;
import org.rnn4j.parity.Tolerance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rnn4j compare}: one model, one input, several backends, a parity table and report. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Run one model on several backends and compare every returned tensor with the first backend's:",
      "max absolute difference, max ULP difference, pass/fail; for sequences, the first time step out",
      "of tolerance and how the error grows over time. Optionally writes a JSON report with provenance.",
      "With --target and --loss, compares the loss and its gradients instead (the entries",
      "'rnn4j gradients' writes: loss, grad_0, ..., grad_input, ...). With --expected, every backend is",
      "compared with outputs recorded in Python (the baseline 'keras'): np.savez(path, *outputs) of the",
      "list model.predict returns (arr_0, arr_1, ...), or arrays named as 'rnn4j run' writes them."
    },
    footer = {
      "",
      "Example:",
      "  rnn4j compare --model lstm.json --weights weights.npz --input x.npy --backends reference,tensorflow \\",
      "      --atol 1e-5 --report parity.json",
      "  rnn4j compare --model m.keras --input x.npy --target y.npy --loss mse --backends reference,tensorflow",
      "  rnn4j compare --model m.keras --input x.npy --expected keras_outputs.npz",
      "",
      ExitCodes.DOCUMENTATION
    })
final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BackendChoice backendChoice;
  @Mixin VerboseOption verbose;

  @Mixin CallOptions callOptions;
  @Mixin CrossCheckOptions crossCheck;
  @Mixin LossOptions lossOptions;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Also write the comparison and its provenance: an HTML page (a name ending .html; tables and per-step plots) or JSON.")
  Path report;

  @Option(names = "--stateful",
      description = "Run the inputs of repeated --input as successive calls, carrying the states (as 'run' does for a stateful"
          + " model), and compare the whole stream call by call.")
  boolean stateful;

  @Option(names = "--expected", paramLabel = "FILE.npz",
      description = "Outputs recorded in Python (np.savez(path, *model.predict(x)) or 'rnn4j run' names): the baseline 'keras'.")
  Path expected;

  @Override
  public Integer call() throws Exception {
    Tolerance tolerance = crossCheck.tolerance();
    if (report != null) {
      CallFiles.requireWritable(report, "--report");
    }
    List<String> names = crossCheck.backendNames();
    backendChoice.requireKnown(names);
    boolean gradients = lossOptions.given();
    if (gradients && expected != null) {
      throw new InvalidInputException("--expected compares outputs; it does not combine with --target and --loss");
    }
    if (stateful && (gradients || expected != null)) {
      throw new InvalidInputException("--stateful compares a stream of outputs; it does not combine with --expected or --target");
    }
    if (stateful) {
      return compareStream(tolerance, names);
    }
    RecordedOutputs recorded = expected == null ? null : RecordedOutputs.read(expected);
    Loss loss = gradients ? lossOptions.loss() : null;
    Model m = model.load();
    Call c = callOptions.read(m);
    Tensor target = gradients ? lossOptions.target() : null;
    Progress progress = Progress.forTerminal(spec.commandLine().getErr());
    Map<String, Result> results = new LinkedHashMap<>();
    Map<String, Map<String, Tensor>> grads = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      progress.step((gradients ? "differentiating on " : "running on ") + name + " (" + (i + 1) + "/" + names.size() + ")");
      try (Backend b = backendChoice.open(name);
          PreparedModel p = b.prepare(m)) {
        if (gradients) {
          grads.put(name, GradientsCommand.arrays(lossOptions.naming(() -> p.gradients(c, target, loss))));
        } else {
          results.put(name, Batches.run(p, c, progress, name));
        }
      }
    }
    progress.done();
    CrossCheck check = gradients
        ? CrossCheck.ofTensors(grads, tolerance, java.util.Set.of("grad_input", "grad_input_0"))
        : recorded != null ? CrossCheck.againstRecorded(recorded, results, tolerance) : CrossCheck.of(results, tolerance);
    ObjectNode json = json(names, tolerance, m, c, check);
    writeReport(json);
    PrintWriter out = spec.commandLine().getOut();
    if (crossCheck.format == OutputFormat.JSON) {
      out.println(pretty(json));
    } else {
      out.println("rnn4j compare: " + m.source() + " on " + String.join(", ", names) + ", input "
          + Shapes.format(c.input().shape()) + (gradients ? ", gradients of " + loss : "")
          + (recorded != null ? ", against " + expected + " (keras)" : ""));
      if (names.size() < 2 && recorded == null) {
        out.println("only one backend ran, nothing to compare");
      } else {
        out.println("tolerance: " + tolerance);
        out.print(CrossCheckOutput.table(check, ""));
        out.println(check.agree() ? (recorded != null ? "Every backend matches the recorded outputs within tolerance."
            : "All backends agree within tolerance.") : (recorded != null
            ? "A backend DIFFERS from the recorded outputs beyond tolerance (see FAIL above)."
            : "Backends DISAGREE beyond tolerance (see FAIL above)."));
      }
      if (report != null) {
        out.println("report: " + report);
      }
    }
    out.flush();
    return check.agree() ? ExitCodes.OK : ExitCodes.DISAGREEMENT;
  }

  /** {@code --stateful}: every backend runs the calls in order from one carried state; compared call by call. */
  private int compareStream(Tolerance tolerance, List<String> names) throws IOException {
    Model m = model.load();
    List<List<Path>> inputs = callOptions.calls();
    List<Call> calls = new java.util.ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      // initial states and masks apply to the first call; later calls start from the carried states
      calls.add(i == 0 ? CallFiles.read(m, inputs.get(i), callOptions.initialState, callOptions.mask)
          : CallFiles.read(m, inputs.get(i), null, null));
    }
    Map<String, List<Result>> results = new LinkedHashMap<>();
    for (String name : names) {
      try (Backend b = backendChoice.open(name);
          PreparedModel p = b.prepare(m)) {
        StatefulModel stream = StatefulModel.of(p);
        List<Result> out = new java.util.ArrayList<>();
        for (Call call : calls) {
          out.add(stream.run(call));
        }
        results.put(name, out);
      }
    }
    CrossCheck check = CrossCheck.ofStream(results, tolerance);
    ObjectNode json = Provenance.of(names, tolerance);
    json.put("command", "compare");
    json.put("stateful", true);
    json.put("calls", calls.size());
    ArrayNode ins = json.putObject("files").putArray("inputs");
    inputs.forEach(files -> files.forEach(f -> ins.add(file(f))));
    json.put("model", m.architecture().name());
    json.set("comparisons", CrossCheckOutput.json(check));
    json.put("agree", check.agree());
    writeReport(json);
    PrintWriter out = spec.commandLine().getOut();
    if (crossCheck.format == OutputFormat.JSON) {
      out.println(pretty(json));
    } else {
      out.println("rnn4j compare: " + m.source() + " on " + String.join(", ", names) + ", a stream of " + calls.size()
          + " calls, states carried");
      out.println("tolerance: " + tolerance);
      out.print(CrossCheckOutput.table(check, ""));
      out.println(check.agree() ? "All backends agree within tolerance over the whole stream."
          : "Backends DISAGREE beyond tolerance (see FAIL above).");
    }
    out.flush();
    return check.agree() ? ExitCodes.OK : ExitCodes.DISAGREEMENT;
  }

  /** The report, if asked for: a page for people ({@code .html}) or JSON for programs (any other name). */
  private void writeReport(ObjectNode json) throws IOException {
    if (report == null) {
      return;
    }
    try {
      Files.writeString(report, report.getFileName().toString().endsWith(".html") ? HtmlReport.render(json) : pretty(json));
    } catch (IOException e) {
      throw new FileFormatException("cannot write --report " + report + ": " + e.getMessage(), e);
    }
  }

  private ObjectNode json(List<String> names, Tolerance tolerance, Model m, Call c, CrossCheck check) {
    ObjectNode root = Provenance.of(names, tolerance);
    root.put("command", "compare");
    ObjectNode files = root.putObject("files");
    files.set("model", file(model.model));
    if (model.weights != null) {
      files.set("weights", file(model.weights));
    }
    List<java.nio.file.Path> inputFiles = callOptions.files();
    ArrayNode ins = files.putArray("inputs");
    for (int k = 0; k < inputFiles.size(); k++) {
      ObjectNode in = file(inputFiles.get(k));
      ArrayNode shape = in.putArray("shape");
      for (int d : c.inputs().get(k).shape()) {
        shape.add(d);
      }
      ins.add(in);
      if (k == 0) {
        files.set("input", in.deepCopy());
      }
    }
    if (callOptions.initialState != null) {
      files.set("initial_state", file(callOptions.initialState));
    }
    if (callOptions.mask != null) {
      files.set("mask", file(callOptions.mask));
    }
    if (expected != null) {
      files.set("expected", file(expected));
      root.put("baseline", CrossCheck.KERAS);
    }
    root.put("model", m.architecture().name());
    if (lossOptions.given()) {
      root.put("loss", lossOptions.loss().kind().kerasName());
      root.put("from_logits", lossOptions.fromLogits);
      files.set("target", file(lossOptions.target));
    }
    root.set("comparisons", CrossCheckOutput.json(check));
    root.put("agree", check.agree());
    return root;
  }

  private static ObjectNode file(Path p) {
    ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    o.put("path", p.toString());
    o.put("sha256", Provenance.sha256(p));
    return o;
  }

  private static String pretty(ObjectNode json) throws IOException {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
  }
}

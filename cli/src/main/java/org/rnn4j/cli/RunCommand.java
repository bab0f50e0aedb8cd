package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npz;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rnn4j run}: one model, one backend, outputs to an .npz file. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Keras model on one backend and write what Keras would return to an .npz file:",
      "'output' and, when the layer returns state, 'state_0', 'state_1', ... in Keras' flattened",
      "order (h1, c1, h2, c2, ...)."
    },
    footer = {
      "",
      "Example:",
      "  rnn4j run --model lstm.json --weights weights.npz --input x.npy --output out.npz",
      "",
      "Initial states (--initial-state) use the same flattened order, as np.savez(*states) writes",
      "them (keys arr_0, arr_1, ...). A mask (--mask) is a (batch, time) array, non-zero = valid step.",
      "",
      ExitCodes.DOCUMENTATION
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BackendChoice backendChoice;
  @Mixin VerboseOption verbose;

  @Mixin CallOptions callOptions;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "reference", description = "Backend to run on (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the results (.npz).")
  Path output;

  @Override
  public Integer call() {
    CallFiles.requireWritable(output, "--output");
    Model m = model.load();
    Call c = callOptions.read(m);
    backendChoice.requireKnown(List.of(backend));
    Result r;
    try (Backend b = backendChoice.open(backend);
        PreparedModel p = b.prepare(m)) {
      r = p.run(c);
    }
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    List<String> names = r.flatNames();
    StringBuilder summary = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      Tensor t = r.flat().get(i);
      arrays.put(names.get(i), t);
      summary.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(Shapes.format(t.shape()));
    }
    Npz.write(output, arrays);
    spec.commandLine().getOut().println(backend + ": wrote " + output + ": " + summary);
    return ExitCodes.OK;
  }
}

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
import org.rnn4j.StatefulModel;
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
      "'output_0', 'output_1', ... exactly as the list model.predict returns (for a Sequential model",
      "ending in a return_state layer: output, then the states), and as before 'output' and, when the",
      "layer returns state, 'state_0', 'state_1', ... in Keras' flattened order (h1, c1, h2, c2, ...)."
    },
    footer = {
      "",
      "Examples:",
      "  rnn4j run --model lstm.json --weights weights.npz --input x.npy --output out.npz",
      "  rnn4j run --model stateful.json --weights w.npz --input part1.npy --input part2.npy --output out.npz",
      "  rnn4j run --model seq2seq.keras --inputs source.npy,target.npy --output out.npz",
      "",
      "Initial states (--initial-state) use the same flattened order, as np.savez(*states) writes",
      "them (keys arr_0, arr_1, ...). A mask (--mask) is a (batch, time) array, non-zero = valid step.",
      "",
      "Several inputs make several calls in order. When the model has layers with stateful=True,",
      "each call starts from the previous call's final states (as Keras' predict does on a stateful",
      "model); otherwise every call starts from --initial-state or zeros. --initial-state and",
      "--mask apply to the first call. The .npz then holds",
      "'call_0/output', 'call_0/state_0', ..., 'call_1/output', ... (np.load keys).",
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
    List<List<Path>> inputs = callOptions.calls();
    List<Call> calls = new java.util.ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      // Initial states and masks apply to the first call; a stateful model carries states after it.
      calls.add(i == 0 || !m.architecture().isStateful()
          ? CallFiles.read(m, inputs.get(i), callOptions.initialState, callOptions.mask)
          : CallFiles.read(m, inputs.get(i), null, null));
    }
    backendChoice.requireKnown(List.of(backend));
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    StringBuilder summary = new StringBuilder();
    try (Backend b = backendChoice.open(backend);
        PreparedModel p = b.prepare(m)) {
      StatefulModel stream = StatefulModel.of(p);
      for (int i = 0; i < calls.size(); i++) {
        // a stateful model carries its states from call to call; the first may give initial states
        Result r = m.architecture().isStateful() ? stream.run(calls.get(i)) : p.run(calls.get(i));
        String prefix = calls.size() == 1 ? "" : "call_" + i + "/";
        for (int k = 0; k < r.flatNames().size(); k++) {
          Tensor t = r.flat().get(k);
          arrays.put(prefix + r.flatNames().get(k), t);
          summary.append(summary.length() == 0 ? "" : ", ").append(prefix).append(r.flatNames().get(k)).append(' ')
              .append(Shapes.format(t.shape()));
        }
        // the list model.predict returns, in its order, under keys that say so
        List<Tensor> keras = r.kerasOutputs();
        for (int k = 0; k < keras.size(); k++) {
          String key = prefix + "output_" + k;
          if (!arrays.containsKey(key)) {
            arrays.put(key, keras.get(k));
            summary.append(", ").append(key).append(' ').append(Shapes.format(keras.get(k).shape()));
          }
        }
      }
    }
    Npz.write(output, arrays);
    spec.commandLine().getOut().println(backend + ": wrote " + output + ": " + summary);
    return ExitCodes.OK;
  }
}

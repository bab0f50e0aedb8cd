package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.Gradients;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npz;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn4j gradients}: a loss of the model's first output and its gradients, to an .npz file. */
@Command(
    name = "gradients",
    mixinStandardHelpOptions = true,
    description = {
      "Compute a Keras loss of the model's first output against a target, and its gradients",
      "(backpropagation through time, inference mode), on one backend. Writes an .npz with 'loss'",
      "(a scalar), 'grad_0', 'grad_1', ... (one per weight, in get_weights() order and shapes),",
      "'grad_input' (the input's shape; absent for token ids; 'grad_input_0', ... for several inputs)",
      "and, with --initial-state, 'grad_initial_state_0', ... in the file's order."
    },
    footer = {
      "",
      "Examples:",
      "  rnn4j gradients --model m.keras --input x.npy --target y.npy --loss mse --output g.npz",
      "  rnn4j gradients --model m.h5 --input ids.npy --target labels.npy --loss sparse_categorical_crossentropy \\",
      "      --from-logits --backend tensorflow --output g.npz",
      "",
      "The loss is Keras 3's with its default reduction (the mean over samples and time steps; a",
      "sequence output that carries a mask is weighted by it, as Keras does).",
      "",
      ExitCodes.DOCUMENTATION
    })
final class GradientsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BackendChoice backendChoice;
  @Mixin VerboseOption verbose;
  @Mixin CallOptions callOptions;
  @Mixin LossOptions lossOptions;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "reference", description = "Backend to run on (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the loss and gradients (.npz).")
  Path output;

  @Override
  public Integer call() {
    CallFiles.requireWritable(output, "--output");
    if (!lossOptions.given()) {
      throw new InvalidInputException("gradients needs --target FILE and --loss LOSS");
    }
    Loss loss = lossOptions.loss();
    Model m = model.load();
    Call call = callOptions.read(m);
    Tensor target = lossOptions.target();
    backendChoice.requireKnown(List.of(backend));
    Gradients g;
    try (Backend b = backendChoice.open(backend);
        PreparedModel p = b.prepare(m)) {
      g = lossOptions.naming(() -> p.gradients(call, target, loss));
    }
    Map<String, Tensor> arrays = arrays(g);
    Npz.write(output, arrays);
    spec.commandLine().getOut().println(backend + ": " + loss + " = " + g.loss() + "; wrote " + output + " (" + String.join(", ", arrays.keySet()) + ")");
    return ExitCodes.OK;
  }

  /** The .npz entries of a gradient computation. */
  static Map<String, Tensor> arrays(Gradients g) {
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    arrays.put("loss", Tensor.wrap(new int[0], new float[] {g.loss()}));
    for (int i = 0; i < g.weights().size(); i++) {
      arrays.put("grad_" + i, g.weight(i));
    }
    for (int k = 0; k < g.inputs().size(); k++) {
      if (g.inputs().get(k) != null) {
        arrays.put(g.inputs().size() == 1 ? "grad_input" : "grad_input_" + k, g.inputs().get(k));
      }
    }
    List<Tensor> states = g.initialStates().flat();
    for (int s = 0; s < states.size(); s++) {
      arrays.put("grad_initial_state_" + s, states.get(s));
    }
    return arrays;
  }
}

package org.rnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Model;
import org.rnn4j.Shapes;
import org.rnn4j.keras.KerasFileInfo;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.InputSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rnn4j inspect}: a Keras model file summarized as Keras' model.summary() does. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Summarize a Keras model file like Keras' model.summary(): each layer with its type, output",
      "shape and parameter count, the Keras version that wrote the file, and any parts rnn4j does",
      "not support."
    },
    footer = {
      "",
      "Examples:",
      "  rnn4j inspect model.keras",
      "  rnn4j inspect config.json --weights model.weights.h5",
      "",
      ExitCodes.DOCUMENTATION
    })
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin VerboseOption verbose;

  @Parameters(index = "0", paramLabel = "FILE", description = "A .keras file, a full-model .h5 file or a Keras .json config.")
  Path file;

  @Option(names = "--weights", paramLabel = "FILE", description = "Weights for a config without them (.npz, .h5, .weights.h5).")
  Path weights;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    KerasFileInfo info = KerasFileInfo.read(file);
    out.println(file + ": " + info.format() + (info.version() == null ? "" : ", written by Keras " + info.version()));
    if (info.configJson() == null) {
      out.println("no model config in this file; inspect the config and pass this file with --weights");
      return ExitCodes.BAD_INPUT;
    }
    List<KerasFileInfo.LayerEntry> unsupported = info.layers().stream().filter(l -> !l.supported()).toList();
    if (!unsupported.isEmpty()) {
      TextTable t = new TextTable("Layer (type)", "rnn4j");
      info.layers().forEach(l -> t.add(l.name() + " (" + l.className() + ")", l.supported() ? "supported" : "UNSUPPORTED"));
      out.print(t.render(""));
      out.flush();
      throw new InvalidModelException(file + ": unsupported layer" + (unsupported.size() > 1 ? "s: " : ": ")
          + String.join(", ", unsupported.stream().map(l -> l.className() + " '" + l.name() + "'").toList()));
    }
    boolean needsWeights = info.format().startsWith("Keras JSON") && weights == null;
    Architecture arch;
    Model model = null;
    if (needsWeights) {
      arch = org.rnn4j.keras.KerasConfigReader.parse(info.configJson(), file.toString(), info.version()).architecture();
    } else {
      model = KerasModels.load(file, weights);
      arch = model.architecture();
    }
    out.println("Model: \"" + arch.name() + "\"");
    TextTable t = new TextTable("Layer (type)", "Output Shape", "Param #").right(2);
    if (arch instanceof Functional f) {
      graph(f, out);
    } else {
      t.add("input (InputLayer)", Shapes.format(withBatch(arch.input().shape())) + (arch.input().integerIds() ? " ids" : ""), "0");
      for (int i = 0; i < arch.layers().size(); i++) {
        t.add(arch.layerName(i) + " (" + arch.layer(i).kerasClassName() + ")", Shapes.format(withBatch(arch.outputShape(i))),
            String.format(java.util.Locale.ROOT, "%,d", arch.parameterCount(i)));
      }
      out.print(t.render(""));
    }
    out.println(String.format(java.util.Locale.ROOT, "Total params: %,d", arch.parameterCount()));
    if (model == null) {
      out.println("(weights not loaded: pass --weights to check them against the model)");
    } else {
      out.println("Weights: loaded and checked (" + model.weights().size() + " arrays)");
    }
    if (arch.isStateful()) {
      out.println("Stateful layers: yes (rnn4j run carries their states across several --input files)");
    }
    out.println("Supported by rnn4j: every layer and argument");
    try {
      org.rnn4j.Gradients.checkSupported(arch);
      out.println("Gradients (rnn4j gradients): supported");
    } catch (org.rnn4j.UnsupportedFeatureException e) {
      out.println("Gradients (rnn4j gradients): not supported, " + e.getMessage().replaceFirst("^gradients: ", ""));
    }
    return ExitCodes.OK;
  }

  /** A functional model as Keras' summary shows it: each call with its output shapes and the tensors it takes. */
  private static void graph(Functional f, PrintWriter out) {
    TextTable t = new TextTable("Layer (type)", "Output Shape", "Param #", "Connected to").right(2);
    for (int k = 0; k < f.inputs().size(); k++) {
      InputSpec in = f.inputs().get(k);
      t.add(f.inputNames().get(k) + " (InputLayer)", Shapes.format(withBatch(in.shape())) + (in.integerIds() ? " ids" : ""), "0", "-");
    }
    for (int n = 0; n < f.nodes().size(); n++) {
      Functional.Node node = f.nodes().get(n);
      List<String> shapes = f.nodeShapes(f.inputs().size() + n).stream().map(s -> Shapes.format(withBatch(s))).toList();
      List<String> from = new java.util.ArrayList<>();
      node.inputs().forEach(r -> from.add(ref(f, r)));
      List<Functional.Ref> masks = node.masks();
      for (int m = 0; m < masks.size(); m++) {
        if (masks.get(m) != null) {
          String what = masks.size() > 1 ? (m == 0 ? "query_mask=" : "value_mask=")
              : f.layer(node.layer()) instanceof org.rnn4j.layers.MultiHeadAttention ? "attention_mask=" : "mask=";
          from.add(what + ref(f, masks.get(m)));
        }
      }
      if (!node.initialState().isEmpty()) {
        from.add("initial_state=" + node.initialState().stream().map(r -> ref(f, r)).toList());
      }
      boolean first = f.firstCall(node.layer()) == n;
      t.add(f.layerName(node.layer()) + " (" + f.layer(node.layer()).kerasClassName() + ")", String.join(", ", shapes),
          first ? String.format(java.util.Locale.ROOT, "%,d", f.parameterCount(node.layer())) : "(shared)", String.join(", ", from));
    }
    out.print(t.render(""));
    out.println("Outputs: " + f.outputs().stream().map(r -> ref(f, r)).toList());
  }

  private static String ref(Functional f, Functional.Ref r) {
    return f.nodeName(r.node()) + "[" + r.tensor() + "]";
  }

  private static int[] withBatch(int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = -1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }
}

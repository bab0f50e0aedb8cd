package org.rnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.keras.KerasSaver;
import org.rnn4j.training.Dataset;
import org.rnn4j.training.EarlyStopping;
import org.rnn4j.training.FitListener;
import org.rnn4j.training.FitOptions;
import org.rnn4j.training.History;
import org.rnn4j.training.Optimizer;
import org.rnn4j.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn4j train}: Keras' {@code fit} on one backend, the trained weights written back for Keras. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a model as Keras' compile() + fit() would: a Keras 3 optimizer, one step per batch on the",
      "gradients of a Keras loss of the first output (layers as at inference: BatchNormalization,",
      "regularizers and constraints are refused, Dropout and noise too unless --dropout-off; layers",
      "declared trainable=False stay as they are). Writes the trained model as .npz (arr_0, ... in get_weights()",
      "order), .weights.h5 (Keras 3 layout) or .keras (the --model archive's config with the new weights)."
    },
    footer = {
      "",
      "Examples:",
      "  rnn4j train --model m.keras --input x.npy --target y.npy --loss mse --optimizer adam \\",
      "      --epochs 5 --batch-size 16 --no-shuffle --output trained.keras",
      "  rnn4j train --model m.json --weights w.npz --input x.npy --target y.npy --loss binary_crossentropy \\",
      "      --optimizer sgd --learning-rate 0.1 --momentum 0.9 --nesterov --validation-split 0.2 \\",
      "      --accuracy --history h.json --backend tensorflow --output w.npz",
      "",
      "Absent options take Keras' defaults: optimizer rmsprop (compile()'s), each optimizer's own",
      "learning rate and constants, 1 epoch, batch size 32 (the last batch may be smaller), shuffled.",
      "Shuffling is seeded (--seed, default 0) and cannot reproduce Keras' own random order;",
      "--no-shuffle gives Keras' shuffle=False order exactly. A stateful model carries its states",
      "from batch to batch (reset each epoch) and must be trained with --no-shuffle.",
      "",
      "Exit codes: 0 trained; 2 bad usage or bad input; 3 internal error."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin BackendChoice backendChoice;
  @Mixin VerboseOption verbose;
  @Mixin CallOptions callOptions;
  @Mixin LossOptions lossOptions;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "reference", description = "Backend to train on (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "rmsprop",
      description = "sgd, adam, adamw, rmsprop or adagrad (default: ${DEFAULT-VALUE}, as Keras' compile()).")
  String optimizer;

  @Option(names = "--learning-rate", paramLabel = "LR", description = "Learning rate (default: the optimizer's Keras default).")
  Double learningRate;

  @Option(names = "--momentum", paramLabel = "M", description = "Momentum of sgd or rmsprop (default 0).")
  Double momentum;

  @Option(names = "--nesterov", description = "Nesterov momentum (sgd).")
  boolean nesterov;

  @Option(names = "--amsgrad", description = "AMSGrad variant (adam, adamw).")
  boolean amsgrad;

  @Option(names = "--centered", description = "Centered variant (rmsprop).")
  boolean centered;

  @Option(names = "--weight-decay", paramLabel = "D", description = "Keras' weight_decay (adamw default 0.004; none for the others).")
  Double weightDecay;

  @Option(names = "--clipnorm", paramLabel = "C", description = "Clip each weight's gradient to this L2 norm.")
  Double clipnorm;

  @Option(names = "--global-clipnorm", paramLabel = "C", description = "Clip all gradients together to this L2 norm.")
  Double globalClipnorm;

  @Option(names = "--clipvalue", paramLabel = "C", description = "Clip every gradient element to [-C, C].")
  Double clipvalue;

  @Option(names = "--epochs", paramLabel = "E", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Samples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--no-shuffle", description = "Batches in sample order (Keras' shuffle=False).")
  boolean noShuffle;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the shuffled order (default 0).")
  Long seed;

  @Option(names = "--validation-split", paramLabel = "F", defaultValue = "0",
      description = "Fraction of samples, from the end, held out for validation (Keras' validation_split).")
  double validationSplit;

  @Option(names = "--accuracy", description = "Also compute Keras' 'accuracy' metric.")
  boolean accuracy;

  @Option(names = "--early-stopping", paramLabel = "PATIENCE",
      description = "Stop when the monitored value has not improved for PATIENCE epochs (Keras' EarlyStopping).")
  Integer patience;

  @Option(names = "--monitor", paramLabel = "NAME", defaultValue = "val_loss",
      description = "The value early stopping watches (default: ${DEFAULT-VALUE}).")
  String monitor;

  @Option(names = "--restore-best-weights", description = "On early stopping, restore the best epoch's weights.")
  boolean restoreBest;

  @Option(names = "--dropout-off",
      description = "Train a model with Dropout, noise layers or recurrent dropout with them inactive, as at inference"
          + " (Keras applies them with its own random numbers, so the weights will differ from Keras' fit).")
  boolean dropoutOff;

  @Option(names = "--history", paramLabel = "FILE", description = "Write the per-epoch loss and metrics as JSON.")
  Path history;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "The trained model: .npz, .weights.h5 or .keras.")
  Path output;

  @Override
  public Integer call() {
    CallFiles.requireWritable(output, "--output");
    if (history != null) {
      CallFiles.requireWritable(history, "--history");
    }
    String outName = output.getFileName().toString();
    if (!outName.endsWith(".npz") && !outName.endsWith(".weights.h5") && !outName.endsWith(".keras")) {
      throw new InvalidInputException("--output " + output + ": expected a name ending .npz, .weights.h5 or .keras");
    }
    if (!lossOptions.given()) {
      throw new InvalidInputException("train needs --target FILE and --loss LOSS");
    }
    if (noShuffle && seed != null) {
      throw new InvalidInputException("give --no-shuffle or --seed, not both");
    }
    Optimizer opt = optimizer();
    FitOptions options = fitOptions();
    Loss loss = lossOptions.loss();
    Model m = model.load();
    if (outName.endsWith(".keras") && !model.model.getFileName().toString().endsWith(".keras")) {
      throw new InvalidInputException("--output " + output + ": a .keras output keeps the config of a .keras --model; "
          + model.model + " is not one (write .weights.h5 or .npz)");
    }
    Call call = callOptions.read(m);
    Dataset data = dataset(call);
    backendChoice.requireKnown(List.of(backend));
    PrintWriter out = spec.commandLine().getOut();
    History h;
    Model trained;
    try (Backend b = backendChoice.open(backend);
        PreparedModel p = b.prepare(m)) {
      Trainer trainer = Trainer.of(p, loss, opt, dropoutOff ? Trainer.RandomLayers.AS_INFERENCE : Trainer.RandomLayers.REFUSE);
      h = lossOptions.naming(() -> trainer.fit(data, options, new EpochPrinter(out, spec.commandLine().getErr())));
      trained = trainer.model();
    }
    KerasSaver.save(trained, output, model.model);
    if (history != null) {
      try {
        Files.writeString(history, h.toJson());
      } catch (java.io.IOException e) {
        throw new InvalidInputException("--history " + history + ": cannot write: " + e.getMessage(), e);
      }
    }
    out.println(backend + ": trained " + h.epochs() + " epoch(s) with " + opt + "; wrote " + output
        + (history == null ? "" : " and " + history));
    return ExitCodes.OK;
  }

  private Dataset dataset(Call call) {
    if (call.mask() != null || call.initialState() != null || !call.initialStates().isEmpty()) {
      throw new InvalidInputException("train takes inputs and a target only (no --mask or --initial-state)");
    }
    try {
      return new Dataset(call.inputs(), lossOptions.target());
    } catch (InvalidInputException e) {
      throw new InvalidInputException(lossOptions.target + ": " + e.getMessage(), e);
    }
  }

  private Optimizer optimizer() {
    try {
      Optimizer o = Optimizer.named(optimizer);
      if (learningRate != null) {
        o = o.withLearningRate(learningRate);
      }
      if (momentum != null) {
        o = o.withMomentum(momentum);
      }
      if (nesterov) {
        o = o.withNesterov(true);
      }
      if (amsgrad) {
        o = o.withAmsgrad(true);
      }
      if (centered) {
        o = o.withCentered(true);
      }
      if (weightDecay != null) {
        o = o.withWeightDecay(weightDecay);
      }
      if (clipnorm != null) {
        o = o.withClipnorm(clipnorm);
      }
      if (globalClipnorm != null) {
        o = o.withGlobalClipnorm(globalClipnorm);
      }
      if (clipvalue != null) {
        o = o.withClipvalue(clipvalue);
      }
      return o;
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("--optimizer " + optimizer + ": " + e.getMessage(), e);
    }
  }

  private FitOptions fitOptions() {
    try {
      FitOptions o = FitOptions.defaults().withEpochs(epochs).withBatchSize(batchSize).withValidationSplit(validationSplit)
          .withAccuracy(accuracy);
      o = noShuffle ? o.withoutShuffle() : o.withShuffleSeed(seed == null ? 0 : seed);
      if (patience != null) {
        o = o.withEarlyStopping(new EarlyStopping(monitor, 0, patience, restoreBest));
      } else if (restoreBest) {
        throw new InvalidInputException("--restore-best-weights needs --early-stopping PATIENCE");
      }
      return o;
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /** Prints each epoch's values on stdout, as Keras' verbose=2 lines; a bar on stderr at a terminal. */
  private static final class EpochPrinter implements FitListener {
    private final PrintWriter out;
    private final Progress progress;

    EpochPrinter(PrintWriter out, PrintWriter err) {
      this.out = out;
      this.progress = Progress.forTerminal(err);
    }

    @Override
    public void batchDone(int step, int steps, Map<String, Double> logs) {
      int width = 30;
      int done = (int) ((long) step * width / steps);
      progress.step(step + "/" + steps + " [" + "=".repeat(done) + ".".repeat(width - done) + "]" + values(logs));
    }

    @Override
    public void epochDone(int epoch, int epochs, Map<String, Double> logs) {
      progress.done();
      out.println("Epoch " + (epoch + 1) + "/" + epochs + values(logs));
      out.flush();
    }

    @Override
    public void stoppedEarly(int epoch, String monitor) {
      out.println("Epoch " + (epoch + 1) + ": early stopping (" + monitor + " did not improve)");
    }

    private static String values(Map<String, Double> logs) {
      StringBuilder s = new StringBuilder();
      logs.forEach((k, v) -> s.append(" - ").append(k).append(": ").append(String.format(java.util.Locale.ROOT, "%.6g", v)));
      return s.toString();
    }
  }
}

package org.rnn4j.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.rnn4j.Call;
import org.rnn4j.Gradients;
import org.rnn4j.InvalidInputException;
import org.rnn4j.LayerStates;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.StatefulModel;
import org.rnn4j.Tensor;
import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.Weights;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.NestedModel;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.TimeDistributed;

/**
 * Trains a prepared model as Keras' {@code fit} does: one optimizer step per batch on the
 * gradients of the loss of the model's (first) output, on any backend. The prepared model keeps
 * its own weights; the trainer holds the trained ones ({@link #weights()}, {@link #model()}) and
 * feeds them to every step, so nothing is prepared again.
 *
 * <pre>{@code
 * try (PreparedModel prepared = backend.prepare(model)) {
 *   Trainer trainer = Trainer.of(prepared, Loss.of("mse", false), Optimizer.adam());
 *   History history = trainer.fit(Dataset.of(x, y), FitOptions.defaults().withEpochs(5).withoutShuffle());
 *   Model trained = trainer.model();
 * }
 * }</pre>
 *
 * <p>Layers train as at inference: a model whose layers act differently in Keras' training mode
 * is refused when the trainer is made (BatchNormalization always; Dropout, noise layers and
 * recurrent dropout unless asked to train with them off, {@link RandomLayers#AS_INFERENCE}), as is
 * a config with regularizers or constraints. Weights Keras does not train (moving and adapted
 * statistics, layers declared {@code trainable: false}) are left unchanged. Layers declared
 * {@code stateful} carry their final states from one batch to the next, reset at each epoch. Not
 * thread-safe.
 */
public final class Trainer {
  private final PreparedModel prepared;
  private final Loss loss;
  private final OptimizerState optimizer;
  private final Set<Integer> stateful;
  private LayerStates carried = LayerStates.empty();

  private Trainer(PreparedModel prepared, Loss loss, Optimizer optimizer, RandomLayers random) {
    this.prepared = prepared;
    this.loss = loss;
    Model model = prepared.model();
    Architecture arch = model.architecture();
    Gradients.checkSupported(arch);
    TrainingSettings settings = model.trainingSettings();
    if (!settings.notReproduced().isEmpty()) {
      throw new UnsupportedFeatureException("model '" + arch.name() + "' cannot be trained as Keras trains it: "
          + String.join("; ", settings.notReproduced()));
    }
    checkTrainsAsInference(arch, random);
    if (random == RandomLayers.REFUSE && !settings.randomInTraining().isEmpty()) {
      throw new UnsupportedFeatureException("model '" + arch.name() + "' draws random numbers in Keras' training ("
          + String.join("; ", settings.randomInTraining()) + "), which cannot be reproduced; train with them off "
          + "(RandomLayers.AS_INFERENCE, rnn4j train --dropout-off) to accept different numbers from Keras");
    }
    List<org.rnn4j.layers.WeightSpec> specs = arch.weightSpecs();
    boolean[] trainable = new boolean[specs.size()];
    for (int i = 0; i < trainable.length; i++) {
      trainable[i] = specs.get(i).trainable();
    }
    for (int layer = 0; layer < arch.layers().size(); layer++) {
      if (settings.frozenLayers().contains(arch.layerName(layer))) {
        java.util.Arrays.fill(trainable, arch.weightOffset(layer), arch.weightOffset(layer) + arch.weightCount(layer), false);
      }
    }
    this.optimizer = optimizer.start(model.weights().values(), trainable);
    this.stateful = StatefulModel.statefulLayers(arch);
  }

  /** What to do with layers that draw random numbers in Keras' training (Dropout, noise, recurrent dropout). */
  public enum RandomLayers {
    /** Refuse the model: Keras' random draws cannot be reproduced. */
    REFUSE,
    /** Train with them inactive, as at inference (the numbers then differ from Keras' fit). */
    AS_INFERENCE
  }

  /**
   * A trainer starting from the prepared model's weights; layers the config declares {@code
   * trainable: false} stay unchanged.
   *
   * @throws UnsupportedFeatureException if a layer has no backward pass, trains differently from
   *     inference in Keras (BatchNormalization; Dropout and other random layers), or the config asks
   *     for what rnn4j's training does not do (regularizers, constraints)
   */
  public static Trainer of(PreparedModel prepared, Loss loss, Optimizer optimizer) {
    return of(prepared, loss, optimizer, RandomLayers.REFUSE);
  }

  /** As {@link #of(PreparedModel, Loss, Optimizer)}, choosing what to do with random layers. */
  public static Trainer of(PreparedModel prepared, Loss loss, Optimizer optimizer, RandomLayers random) {
    return new Trainer(Objects.requireNonNull(prepared), Objects.requireNonNull(loss), Objects.requireNonNull(optimizer),
        Objects.requireNonNull(random));
  }

  private static void checkTrainsAsInference(Architecture arch, RandomLayers random) {
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer l = arch.layer(i);
      Layer inner = l instanceof TimeDistributed t ? t.layer() : l;
      if (inner instanceof NestedModel n) {
        checkTrainsAsInference(n.model(), random);
      } else if ((inner instanceof InferenceIdentity && random == RandomLayers.REFUSE)
          || (inner instanceof Normalization norm && norm.kind() == Normalization.Kind.BATCH)) {
        throw new UnsupportedFeatureException("model '" + arch.name() + "': layer '" + arch.layerName(i) + "' ("
            + inner.kerasClassName() + ") acts differently in Keras' training mode ("
            + (inner instanceof InferenceIdentity ? "random numbers Keras draws; train with them off to accept different numbers"
                : "batch statistics, moving averages updated") + ")");
      }
    }
  }

  /** The current (trained) weights. */
  public Weights weights() {
    return Weights.of(prepared.model().architecture(), optimizer.weights());
  }

  /** The model with the current weights, to save or to prepare for inference. */
  public Model model() {
    return prepared.model().withWeights(weights());
  }

  /** The optimizer's state (iterations, current weights). */
  public OptimizerState optimizerState() {
    return optimizer;
  }

  /** Forgets the states carried between batches (a stateful model starts the next batch from zeros). */
  public void resetStates() {
    carried = LayerStates.empty();
  }

  /**
   * One optimizer step on one batch (Keras' {@code train_on_batch}).
   *
   * @return the batch's loss, before the update
   */
  public float trainOnBatch(Dataset batch) {
    return step(batch).loss();
  }

  private Gradients step(Dataset batch) {
    Gradients g = gradients(batch, true);
    optimizer.apply(g.weights());
    return g;
  }

  /** The loss and gradients of a batch at the current weights, carrying stateful layers' states. */
  private Gradients gradients(Dataset batch, boolean carry) {
    Call call = Call.of(batch.inputs());
    if (!stateful.isEmpty() && carry) {
      call = call.withInitialStates(carried);
    }
    Gradients g = prepared.gradients(call, batch.target(), loss, weights());
    if (!stateful.isEmpty() && carry) {
      LayerStates next = LayerStates.empty();
      for (int layer : stateful) {
        next = next.with(layer, g.finalStates().get(layer));
      }
      carried = next;
    }
    return g;
  }

  /** As {@link #fit(Dataset, FitOptions, FitListener)} without a listener. */
  public History fit(Dataset data, FitOptions options) {
    return fit(data, options, new FitListener() {});
  }

  /**
   * Trains for the options' epochs (Keras' {@code fit}): per epoch, batches in sample order or a
   * seeded shuffled order, one step each; the epoch's loss is the mean of the batches' losses
   * weighted by their sizes, as Keras reports it; validation after each epoch; early stopping.
   *
   * @throws InvalidInputException if the data does not fit the model or the options
   */
  public History fit(Dataset data, FitOptions options, FitListener listener) {
    Dataset train = data;
    Dataset validation = options.validation();
    if (options.validationSplit() > 0) {
      int splitAt = (int) Math.floor(data.size() * (1.0 - options.validationSplit()));
      if (splitAt == 0 || splitAt == data.size()) {
        throw new InvalidInputException("validation_split " + options.validationSplit() + " of " + data.size()
            + " samples leaves no training or no validation samples");
      }
      train = data.range(0, splitAt);
      validation = data.range(splitAt, data.size());
    }
    checkStateful(train, validation, options);
    EarlyStopping stop = options.earlyStopping();
    if (stop != null) {
      List<String> produced = new ArrayList<>(List.of("loss"));
      if (options.accuracy()) {
        produced.add("accuracy");
      }
      if (validation != null) {
        produced.addAll(produced.stream().map(s -> "val_" + s).toList());
      }
      if (!produced.contains(stop.monitor())) {
        throw new InvalidInputException("early stopping monitors '" + stop.monitor() + "', but training records only " + produced);
      }
    }
    Accuracy accuracy = options.accuracy() ? Accuracy.of(prepared.model().architecture(), loss) : null;
    History history = new History();
    SplittableRandom random = options.seed().isPresent() ? new SplittableRandom(options.seed().getAsLong()) : null;
    int n = train.size();
    int steps = (n + options.batchSize() - 1) / options.batchSize();
    double best = Double.NaN;
    List<Tensor> bestWeights = null;
    int wait = 0;
    for (int epoch = 0; epoch < options.epochs(); epoch++) {
      resetStates();
      listener.epochStarted(epoch, options.epochs(), steps);
      int[] order = order(n, random);
      Means means = new Means();
      for (int s = 0; s < steps; s++) {
        int from = s * options.batchSize();
        int to = Math.min(n, from + options.batchSize());
        Dataset batch = train.rows(java.util.Arrays.copyOfRange(order, from, to));
        Gradients g = step(batch);
        means.add("loss", g.loss(), to - from);
        if (accuracy != null) {
          accuracy.add(means, "accuracy", g.output(), batch.target());
        }
        listener.batchDone(s + 1, steps, means.values());
      }
      Map<String, Double> logs = means.values();
      if (validation != null) {
        logs.putAll(evaluate(validation, options.batchSize(), accuracy, "val_"));
      }
      history.record(logs);
      listener.epochDone(epoch, options.epochs(), logs);
      if (stop != null) {
        double value = logs.get(stop.monitor());
        if (Double.isNaN(best) || stop.improves(value, best)) {
          best = value;
          wait = 0;
          bestWeights = stop.restoreBestWeights() ? optimizer.weights() : null;
        } else {
          wait++;
          if (wait >= stop.patience() && epoch > 0) {
            if (bestWeights != null) {
              optimizer.restore(bestWeights);
            }
            history.stoppedAt(epoch);
            listener.stoppedEarly(epoch, stop.monitor());
            break;
          }
        }
      }
    }
    return history;
  }

  /**
   * The loss (and accuracy, if asked) of {@code data} at the current weights, batch by batch as
   * Keras' {@code evaluate} averages them; states are not carried.
   */
  public Map<String, Double> evaluate(Dataset data, int batchSize, boolean withAccuracy) {
    return evaluate(data, batchSize, withAccuracy ? Accuracy.of(prepared.model().architecture(), loss) : null, "");
  }

  private Map<String, Double> evaluate(Dataset data, int batchSize, Accuracy accuracy, String prefix) {
    Means means = new Means();
    for (int from = 0; from < data.size(); from += batchSize) {
      int to = Math.min(data.size(), from + batchSize);
      Dataset batch = data.range(from, to);
      Gradients g = gradients(batch, false);
      means.add(prefix + "loss", g.loss(), to - from);
      if (accuracy != null) {
        accuracy.add(means, prefix + "accuracy", g.output(), batch.target());
      }
    }
    return means.values();
  }

  private void checkStateful(Dataset train, Dataset validation, FitOptions options) {
    if (stateful.isEmpty()) {
      return;
    }
    if (options.seed().isPresent()) {
      throw new InvalidInputException("a stateful model carries its states from batch to batch: train it without shuffling");
    }
    if (train.size() % options.batchSize() != 0) {
      throw new InvalidInputException("a stateful model needs full batches: " + train.size()
          + " training samples is not a multiple of batch_size " + options.batchSize());
    }
    if (validation != null) {
      throw new InvalidInputException("validation of a stateful model is not supported (Keras runs it on the carried states)");
    }
  }

  private static int[] order(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (random != null) {
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Keras' {@code Mean} metrics: weighted sums and weights, kept in the order first added. */
  static final class Means {
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    void add(String name, double value, double weight) {
      addSum(name, value * weight, weight);
    }

    void addSum(String name, double weightedSum, double weight) {
      double[] s = sums.computeIfAbsent(name, k -> new double[2]);
      s[0] += weightedSum;
      s[1] += weight;
    }

    Map<String, Double> values() {
      Map<String, Double> out = new LinkedHashMap<>();
      sums.forEach((k, s) -> out.put(k, s[1] == 0 ? 0.0 : s[0] / s[1]));
      return out;
    }
  }
}

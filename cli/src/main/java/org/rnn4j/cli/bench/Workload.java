package org.rnn4j.cli.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.Call;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.StatefulModel;
import org.rnn4j.Tensor;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.training.Dataset;
import org.rnn4j.training.FitOptions;
import org.rnn4j.training.Optimizer;
import org.rnn4j.training.Trainer;

/**
 * The benchmark workloads: float32, Keras layout, weights from Keras' initializers (seed 1), zero
 * initial state, inputs uniform in [-1, 1). Latency workloads report microseconds per call (or per
 * streamed step), throughput workloads GFLOP/s with an LSTM step counted as {@code 2·B·4H·(I+H)}
 * and a GRU step as {@code 2·B·3H·(I+H)}. The T workloads time one forward and backward pass
 * ({@link PreparedModel#gradients}, mse against zeros) of the model of their W namesake; F3 one
 * epoch of {@link Trainer#fit} on {@link #EPOCH_SAMPLES} samples.
 */
public enum Workload {
  W1A("W1a", "LSTM B=1 T=1 I=6 H=4 (the notebook layer)", Unit.MICROS_PER_CALL, 1, 1, 6, 4, Kind.LSTM),
  W1B("W1b", "the notebook stack B=2 T=3 I=6, LSTMCell(4)+LSTMCell(5)", Unit.MICROS_PER_CALL, 2, 3, 6, 0, Kind.NOTEBOOK_STACK),
  W2("W2", "streaming LSTM B=1 I=32 H=128, one step per call, state carried", Unit.MICROS_PER_STEP, 1, 1, 32, 128, Kind.LSTM),
  W3("W3", "LSTM B=32 T=100 I=64 H=256", Unit.GFLOPS, 32, 100, 64, 256, Kind.LSTM),
  W4("W4", "LSTM B=128 T=50 I=512 H=1024", Unit.GFLOPS, 128, 50, 512, 1024, Kind.LSTM),
  G3("G3", "GRU B=32 T=100 I=64 H=256", Unit.GFLOPS, 32, 100, 64, 256, Kind.GRU),
  T1B("T1b", "forward + backward (mse) of the notebook stack B=2 T=3 I=6", Unit.MICROS_PER_CALL, 2, 3, 6, 0, Kind.NOTEBOOK_STACK),
  T3("T3", "forward + backward (mse) of LSTM B=32 T=100 I=64 H=256", Unit.MILLIS_PER_CALL, 32, 100, 64, 256, Kind.LSTM),
  F3("F3", "one epoch of fit (Adam, mse, batches of 32, no shuffle) of LSTM T=100 I=64 H=256 on 128 samples", Unit.SAMPLES_PER_SECOND,
      32, 100, 64, 256, Kind.LSTM);

  /** What a workload reports. */
  public enum Unit {
    MICROS_PER_CALL("µs/call", false),
    MICROS_PER_STEP("µs/step", false),
    MILLIS_PER_CALL("ms/call", false),
    GFLOPS("GFLOP/s", true),
    SAMPLES_PER_SECOND("samples/s", true);

    final String label;
    final boolean higherIsBetter;

    Unit(String label, boolean higherIsBetter) {
      this.label = label;
      this.higherIsBetter = higherIsBetter;
    }

    public String label() {
      return label;
    }

    public boolean higherIsBetter() {
      return higherIsBetter;
    }
  }

  enum Kind {
    LSTM,
    GRU,
    NOTEBOOK_STACK
  }

  private final String id;
  private final String description;
  private final Unit unit;
  private final int batch;
  private final int steps;
  private final int features;
  private final int units;
  private final Kind kind;

  Workload(String id, String description, Unit unit, int batch, int steps, int features, int units, Kind kind) {
    this.id = id;
    this.description = description;
    this.unit = unit;
    this.batch = batch;
    this.steps = steps;
    this.features = features;
    this.units = units;
    this.kind = kind;
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public Unit unit() {
    return unit;
  }

  /** Parses an id such as {@code W1a} (case-insensitive). */
  public static Workload parse(String id) {
    for (Workload w : values()) {
      if (w.id.equalsIgnoreCase(id.trim())) {
        return w;
      }
    }
    throw new org.rnn4j.InvalidInputException(
        "unknown workload '" + id + "' (known: " + String.join(", ", java.util.Arrays.stream(values()).map(Workload::id).toList()) + ")");
  }

  /** The workload's model with seeded Keras-initializer weights. */
  public Model model() {
    RNN layer = switch (kind) {
      case LSTM -> LSTM.of(units);
      case GRU -> GRU.of(units);
      case NOTEBOOK_STACK -> RNN.builder(StackedRNNCells.of(LSTMCell.of(4), LSTMCell.of(5))).returnSequences(true).returnState(true).build();
    };
    return Model.initialized(Sequential.of(InputSpec.sequence(features), layer), 1);
  }

  /** The input of one call. */
  public Tensor input() {
    SplittableRandom r = new SplittableRandom(2);
    float[] d = new float[batch * steps * features];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return Tensor.wrap(new int[] {batch, steps, features}, d);
  }

  private float[] epochInput() {
    SplittableRandom r = new SplittableRandom(3);
    float[] d = new float[EPOCH_SAMPLES * steps * features];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return d;
  }

  /** Floating-point operations of one call (throughput workloads). */
  public double flopsPerCall() {
    int gates = kind == Kind.GRU ? 3 : 4;
    return 2.0 * batch * gates * units * (features + units) * steps;
  }

  /** Samples of the training epoch (F3): {@code EPOCH_SAMPLES / batch} optimizer steps. */
  public static final int EPOCH_SAMPLES = 128;

  /** Steps of one streamed sequence (W2): the state starts at zero and is carried through them. */
  public static final int STREAM_STEPS = 1000;

  /**
   * A repeatable unit of work on a prepared model: one call, or (streaming) a whole sequence of
   * {@link #STREAM_STEPS} steps from a zero state through the streaming API, {@link
   * StatefulModel#step}, from and into arrays. It returns what it computed (the result, or the last
   * step's output), for a benchmark harness to consume.
   */
  public java.util.function.Supplier<Object> operation(PreparedModel prepared) {
    Tensor x = input();
    if (unit == Unit.MICROS_PER_STEP) {
      StatefulModel stream = StatefulModel.of(prepared);
      float[] step = x.toArray();
      float[] out = new float[batch * units];
      return () -> {
        stream.resetStates();
        for (int i = 0; i < STREAM_STEPS; i++) {
          stream.step(step, out);
        }
        return out;
      };
    }
    if (unit == Unit.SAMPLES_PER_SECOND) {
      Tensor samples = Tensor.wrap(new int[] {EPOCH_SAMPLES, steps, features}, epochInput());
      Tensor target = Tensor.zeros(new int[] {EPOCH_SAMPLES, units});
      Dataset data = Dataset.of(samples, target);
      FitOptions epoch = FitOptions.defaults().withBatchSize(batch).withoutShuffle();
      Loss mse = Loss.of(Loss.Kind.MEAN_SQUARED_ERROR, false);
      return () -> Trainer.of(prepared, mse, Optimizer.adam()).fit(data, epoch);
    }
    if (id.startsWith("T")) {
      Call call = Call.of(x);
      int[] outputShape = prepared.run(x).output().shape();
      Tensor target = Tensor.zeros(outputShape);
      Loss mse = Loss.of(Loss.Kind.MEAN_SQUARED_ERROR, false);
      return () -> prepared.gradients(call, target, mse);
    }
    return () -> prepared.run(x);
  }

  /**
   * For a forward-and-backward workload (T1b, T3), its forward pass alone — the same call's
   * {@link PreparedModel#run} — else null.
   */
  public java.util.function.Supplier<Object> forwardOperation(PreparedModel prepared) {
    if (!id.startsWith("T")) {
      return null;
    }
    Call call = Call.of(input());
    return () -> prepared.run(call);
  }

  /** Converts the seconds one operation took into this workload's unit. */
  public double score(double seconds) {
    return switch (unit) {
      case GFLOPS -> flopsPerCall() / seconds / 1e9;
      case MICROS_PER_STEP -> seconds * 1e6 / STREAM_STEPS;
      case MICROS_PER_CALL -> seconds * 1e6;
      case MILLIS_PER_CALL -> seconds * 1e3;
      case SAMPLES_PER_SECOND -> EPOCH_SAMPLES / seconds;
    };
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}

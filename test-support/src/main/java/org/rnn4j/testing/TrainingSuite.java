package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Backend;
import org.rnn4j.Call;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.training.Dataset;
import org.rnn4j.training.FitOptions;
import org.rnn4j.training.History;
import org.rnn4j.training.LearningRate;
import org.rnn4j.training.Optimizer;
import org.rnn4j.training.Trainer;

/**
 * Training ({@link Trainer#fit}) against a float64 oracle of Keras' fit: the same batches in
 * order (a partial last one), the oracle's gradients by central differences of its float64 loss,
 * and {@link OracleOptimizer}'s float64 update rules; then the trained weights and each epoch's
 * loss compared. Also training on the reference backend against the backend under test.
 */
final class TrainingSuite {
  private TrainingSuite() {}

  /** Weights after several float32 steps against float64 ones: each step's gradient is good to about 1e-6. */
  static final double ATOL = 1e-5;
  static final double RTOL = 1e-5;

  /** One case: a small model, a loss, an optimizer and its oracle twin, epochs and batch size. */
  record Case(String name, Sequential arch, Loss loss, Optimizer optimizer, OracleOptimizer.Config oracle, int samples,
      int steps, int batchSize, int epochs, long seed) {
    @Override
    public String toString() {
      return name + ", " + loss + ", " + optimizer.kind().kerasName() + ", " + samples + " samples in batches of " + batchSize
          + ", " + epochs + " epochs";
    }
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    Sequential lstm = Sequential.of(InputSpec.sequence(3), LSTM.of(4), Dense.of(2));
    Sequential gru = Sequential.of(InputSpec.sequence(3), GRU.of(3), Dense.builder(1).activation(Activation.SIGMOID).build());
    Sequential bidi = Sequential.of(InputSpec.sequence(2), Bidirectional.of(SimpleRNN.of(3), MergeMode.CONCAT),
        Dense.builder(3).activation(Activation.SOFTMAX).build());
    Sequential gruV1 = Sequential.of(InputSpec.sequence(3), GRU.builder(3).resetAfter(false).returnSequences(true).build(), Dense.of(2));
    Loss mse = Loss.of("mse", false);
    Loss bce = Loss.of("binary_crossentropy", false);
    Loss cce = Loss.of("categorical_crossentropy", false);
    OracleOptimizer.Config sgd = OracleOptimizer.Config.of(OracleOptimizer.Rule.SGD, 0.1);
    OracleOptimizer.Config adam = OracleOptimizer.Config.of(OracleOptimizer.Rule.ADAM, 0.01);
    OracleOptimizer.Config rms = OracleOptimizer.Config.of(OracleOptimizer.Rule.RMSPROP, 0.01);
    OracleOptimizer.Config adagrad = OracleOptimizer.Config.of(OracleOptimizer.Rule.ADAGRAD, 0.05);
    long s = 1500;
    c.add(new Case("LSTM(4) -> Dense(2)", lstm, mse, Optimizer.sgd().withLearningRate(0.1), sgd, 7, 5, 3, 2, s++));
    c.add(new Case("LSTM(4) -> Dense(2)", lstm, mse, Optimizer.sgd().withLearningRate(0.1).withMomentum(0.9), sgd.momentum(0.9, false),
        7, 5, 3, 2, s++));
    c.add(new Case("GRU(3) -> Dense(1, sigmoid)", gru, bce, Optimizer.sgd().withLearningRate(0.1).withMomentum(0.8).withNesterov(true),
        sgd.momentum(0.8, true), 7, 5, 3, 2, s++));
    c.add(new Case("LSTM(4) -> Dense(2)", lstm, mse, Optimizer.adam().withLearningRate(0.01), adam, 7, 5, 3, 2, s++));
    c.add(new Case("Bidirectional(SimpleRNN(3)) -> Dense(3, softmax)", bidi, cce, Optimizer.adam().withLearningRate(0.01).withAmsgrad(true),
        adam.withAmsgrad(), 5, 4, 2, 2, s++));
    c.add(new Case("GRU(3) -> Dense(1, sigmoid)", gru, bce, Optimizer.adamW().withLearningRate(0.01), adam.weightDecay(0.004),
        7, 5, 3, 2, s++));
    c.add(new Case("GRU(3, reset_after=False, seq) -> Dense(2)", gruV1, mse, Optimizer.rmsprop().withLearningRate(0.01), rms,
        7, 4, 3, 2, s++));
    c.add(new Case("Bidirectional(SimpleRNN(3)) -> Dense(3, softmax)", bidi, cce,
        Optimizer.rmsprop().withLearningRate(0.01).withMomentum(0.5).withCentered(true), rms.momentum(0.5, false).withCentered(), 5, 4, 2, 2, s++));
    c.add(new Case("LSTM(4) -> Dense(2)", lstm, mse, Optimizer.adagrad().withLearningRate(0.05), adagrad, 7, 5, 3, 2, s++));
    c.add(new Case("LSTM(4) -> Dense(2), clipnorm 0.05", lstm, mse, Optimizer.sgd().withLearningRate(0.1).withClipnorm(0.05),
        sgd.clip(0.05, Double.NaN, Double.NaN), 7, 5, 3, 2, s++));
    c.add(new Case("GRU(3) -> Dense(1, sigmoid), global_clipnorm 0.1", gru, bce,
        Optimizer.sgd().withLearningRate(0.1).withGlobalClipnorm(0.1), sgd.clip(Double.NaN, 0.1, Double.NaN), 7, 5, 3, 2, s++));
    c.add(new Case("LSTM(4) -> Dense(2), clipvalue 0.01, ExponentialDecay", lstm, mse,
        Optimizer.sgd().withLearningRate(LearningRate.exponentialDecay(0.1, 2, 0.5, false)).withClipvalue(0.01),
        sgd.clip(Double.NaN, Double.NaN, 0.01).exponentialDecay(0.5, 2), 7, 5, 3, 2, s++));
    return c;
  }

  static Stream<DynamicNode> tests(ContractContext ctx) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (Case c : cases()) {
      nodes.add(dynamicTest(c.toString(), () -> {
        Model model = Model.initialized(c.arch(), c.seed());
        Dataset data = data(c, model);
        Model trained;
        History history;
        try (PreparedModel p = ctx.backend().prepare(model)) {
          Trainer trainer = Trainer.of(p, c.loss(), c.optimizer());
          history = trainer.fit(data, FitOptions.defaults().withEpochs(c.epochs()).withBatchSize(c.batchSize()).withoutShuffle());
          trained = trainer.model();
        }
        Oracle expected = oracleFit(c, model, data);
        double worst = 0;
        for (int i = 0; i < expected.weights().size(); i++) {
          worst = Math.max(worst, Checks.assertClose(c + " weight " + i, expected.weights().get(i), trained.weights().get(i), ATOL, RTOL).maxAbs());
        }
        for (int e = 0; e < c.epochs(); e++) {
          double got = history.get("loss").get(e);
          double want = expected.losses().get(e);
          assertTrue(Math.abs(got - want) <= ATOL + RTOL * Math.abs(want), c + ": epoch " + e + " loss " + got + ", expected " + want);
        }
        ctx.record("training vs float64 oracle", worst);
      }));
    }
    nodes.add(dynamicTest("Keras' own fit test: Dense(2) from ones, Adam(ExponentialDecay(0.05, 1, 0.9)), 3 epochs of batches of 4, "
        + "no shuffle: the loss history Keras recorded", () -> {
      Model m = Model.of(Sequential.of(InputSpec.of(2), Dense.of(2)),
          List.of(Tensor.of(new float[][] {{1, 1}, {1, 1}}), Tensor.of(1f, 1f)));
      float[] v = new float[32];
      for (int i = 0; i < 32; i++) {
        v[i] = i;
      }
      Tensor x = Tensor.of(new int[] {16, 2}, v);
      try (PreparedModel p = ctx.backend().prepare(m)) {
        Trainer trainer = Trainer.of(p, Loss.of("mse", false),
            Optimizer.adam().withLearningRate(LearningRate.exponentialDecay(0.05, 1, 0.9, false)));
        History h = trainer.fit(Dataset.of(x, x), FitOptions.defaults().withEpochs(3).withBatchSize(4).withoutShuffle());
        double[] keras = {230.79457092285156, 128.30319213867188, 79.33648681640625};
        for (int e = 0; e < 3; e++) {
          // Keras' tolerance for its recorded values (rtol 5e-5); the values are float32 sums of squares near 1e2
          assertEquals(keras[e], h.get("loss").get(e), 5e-5 * keras[e], "epoch " + e + " loss");
        }
        assertEquals(12, trainer.optimizerState().iterations());
      }
    }));
    nodes.add(dynamicTest("a layer that trains differently from inference (Dropout) is refused by name", () -> {
      Model m = Model.initialized(Sequential.of(InputSpec.sequence(2), LSTM.of(2), InferenceIdentity.of("Dropout", "drop")), 1);
      try (PreparedModel p = ctx.backend().prepare(m)) {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
            () -> Trainer.of(p, Loss.of("mse", false), Optimizer.sgd()));
        assertTrue(e.getMessage().contains("'drop'") && e.getMessage().contains("Dropout"), e.getMessage());
      }
    }));
    nodes.add(dynamicTest("a stateful model carries its states across batches: two half batches train as Keras' stateful fit", () ->
        statefulMatchesOracle(ctx)));
    return nodes.stream();
  }

  /** Training on the reference backend against the backend under test, Adam on every case's model. */
  static DynamicNode against(ContractContext ctx, Backend reference) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (Case c : cases()) {
      nodes.add(dynamicTest(c.toString(), () -> {
        Model model = Model.initialized(c.arch(), c.seed());
        Dataset data = data(c, model);
        FitOptions options = FitOptions.defaults().withEpochs(c.epochs()).withBatchSize(c.batchSize()).withShuffleSeed(c.seed());
        List<Tensor> want;
        List<Tensor> got;
        try (PreparedModel r = reference.prepare(model); PreparedModel p = ctx.backend().prepare(model)) {
          Trainer tr = Trainer.of(r, c.loss(), c.optimizer());
          tr.fit(data, options);
          want = tr.weights().values();
          Trainer tp = Trainer.of(p, c.loss(), c.optimizer());
          tp.fit(data, options);
          got = tp.weights().values();
        }
        for (int i = 0; i < want.size(); i++) {
          Checks.assertClose(c + " weight " + i + " vs reference", want.get(i), got.get(i), ATOL, RTOL);
        }
      }));
    }
    return org.junit.jupiter.api.DynamicContainer.dynamicContainer("training vs reference backend", nodes);
  }

  private static Dataset data(Case c, Model model) {
    Tensor x = RandomData.uniform(c.seed(), -1, 1, c.samples(), c.steps(), c.arch().input().shape()[1]);
    return Dataset.of(x, GradientSuite.target(c.loss(), model, Call.of(x), c.seed()));
  }

  record Oracle(List<Tensor> weights, List<Double> losses) {}

  /** Keras' fit without shuffling, computed by the oracles: per batch a central-difference gradient and a float64 update. */
  static Oracle oracleFit(Case c, Model start, Dataset data) {
    List<org.rnn4j.layers.WeightSpec> specs = c.arch().weightSpecs();
    boolean[] trainable = new boolean[specs.size()];
    for (int i = 0; i < trainable.length; i++) {
      trainable[i] = specs.get(i).trainable();
    }
    OracleOptimizer opt = new OracleOptimizer(c.oracle(), start.weights().values(), trainable);
    Model model = start;
    List<Double> losses = new ArrayList<>();
    for (int e = 0; e < c.epochs(); e++) {
      double weighted = 0;
      for (int from = 0; from < data.size(); from += c.batchSize()) {
        int to = Math.min(data.size(), from + c.batchSize());
        Dataset batch = data.range(from, to);
        org.rnn4j.Gradients g = GradientSuite.finiteDifferences(model, Call.of(batch.inputs()), batch.target(), c.loss());
        weighted += (double) g.loss() * (to - from);
        opt.apply(g.weights());
        model = Model.of(c.arch(), opt.weights(start.weights().values()));
      }
      losses.add(weighted / data.size());
    }
    return new Oracle(model.weights().values(), losses);
  }

  /**
   * A stateful LSTM trained on 4 samples in 2 batches of 2 with a learning rate of 0: the second
   * batch starts from the first one's final states, which the epoch's loss shows against the
   * oracle run the same way.
   */
  private static void statefulMatchesOracle(ContractContext ctx) {
    Sequential arch = Sequential.of(InputSpec.sequence(3), LSTM.builder(3).stateful(true).build(), Dense.of(1));
    Model model = Model.initialized(arch, 77);
    Tensor x = RandomData.uniform(78, -1, 1, 4, 3, 3);
    Tensor y = RandomData.uniform(79, -1, 1, 4, 1);
    try (PreparedModel p = ctx.backend().prepare(model)) {
      Trainer trainer = Trainer.of(p, Loss.of("mse", false), Optimizer.sgd().withLearningRate(0.0));
      History h = trainer.fit(Dataset.of(x, y), FitOptions.defaults().withBatchSize(2).withoutShuffle());
      // oracle: rows 0-1 from zero states, rows 2-3 from the final states of rows 0-1
      org.rnn4j.Result first = Float64Oracle.run(model, Call.of(rowsOf(x, 0, 2)));
      Call second = Call.of(rowsOf(x, 2, 4)).withInitialState(first.finalStates().get(0));
      double loss0 = OracleLoss.value(Float64Oracle.firstOutput(model, Call.of(rowsOf(x, 0, 2))), rowsOf(y, 0, 2), Loss.of("mse", false));
      double loss1 = OracleLoss.value(Float64Oracle.firstOutput(model, second), rowsOf(y, 2, 4), Loss.of("mse", false));
      double want = (loss0 * 2 + loss1 * 2) / 4;
      assertEquals(want, h.get("loss").get(0), ATOL, "stateful epoch loss");
      assertThrows(InvalidInputException.class,
          () -> trainer.fit(Dataset.of(x, y), FitOptions.defaults().withBatchSize(2)), "a stateful model refuses shuffling");
      assertThrows(InvalidInputException.class,
          () -> trainer.fit(Dataset.of(x, y), FitOptions.defaults().withBatchSize(3).withoutShuffle()), "and partial batches");
    }
  }

  private static Tensor rowsOf(Tensor t, int from, int to) {
    return Dataset.of(t, t).range(from, to).target();
  }
}

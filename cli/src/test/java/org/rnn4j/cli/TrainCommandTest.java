package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Backends;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.RandomData;
import org.rnn4j.training.Dataset;
import org.rnn4j.training.FitOptions;
import org.rnn4j.training.Optimizer;
import org.rnn4j.training.Trainer;

/** {@code rnn4j train}: the weights the API trains, on both backends; history, formats and errors. */
class TrainCommandTest {
  static final String GRU_JSON =
      """
      {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 5, 3]}},
        {"class_name": "GRU", "config": {"name": "gru", "units": 4}},
        {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
      """;

  @TempDir Path dir;
  Path model;
  Path weights;
  Path input;
  Path target;

  @BeforeEach
  void files() throws IOException {
    model = dir.resolve("gru.json");
    Files.writeString(model, GRU_JSON);
    weights = dir.resolve("w.npz");
    Npz.writeList(weights, List.of(RandomData.uniform(1, -0.5f, 0.5f, 3, 12), RandomData.uniform(2, -0.5f, 0.5f, 4, 12),
        RandomData.uniform(3, -0.5f, 0.5f, 2, 12), RandomData.uniform(4, -0.5f, 0.5f, 4, 2), RandomData.uniform(5, -0.5f, 0.5f, 2)));
    input = dir.resolve("x.npy");
    Npy.write(input, RandomData.uniform(6, -1, 1, 10, 5, 3));
    target = dir.resolve("y.npy");
    Npy.write(target, RandomData.uniform(7, -1, 1, 10, 2));
  }

  private CliRunner.Outcome train(String backend, Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--model", model.toString(), "--weights", weights.toString(),
        "--input", input.toString(), "--target", target.toString(), "--loss", "mse", "--backend", backend, "--output", out.toString()));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void writesTheWeightsTheApiTrainsOnBothBackends() throws IOException {
    String[] options = {"--optimizer", "sgd", "--learning-rate", "0.1", "--momentum", "0.9", "--nesterov", "--epochs", "3",
        "--batch-size", "4", "--no-shuffle", "--validation-split", "0.2"};
    Path history = dir.resolve("h.json");
    CliRunner.Outcome ref = train("reference", dir.resolve("ref.npz"), concat(options, "--history", history.toString()));
    CliRunner.Outcome tf = train("tensorflow", dir.resolve("tf.npz"), options);
    assertEquals(0, ref.exitCode(), ref.err());
    assertEquals(0, tf.exitCode(), tf.err());
    assertTrue(ref.out().startsWith("Epoch 1/3 - loss: "), ref.out());
    assertTrue(ref.out().contains("Epoch 3/3 - loss: ") && ref.out().contains(" - val_loss: "), ref.out());
    Model m = KerasModels.load(model, weights);
    Tensor x = Npy.read(input);
    Tensor y = Npy.read(target);
    List<Tensor> expected;
    try (var backend = Backends.open("reference"); PreparedModel p = backend.prepare(m)) {
      Trainer t = Trainer.of(p, Loss.of("mse", false), Optimizer.sgd().withLearningRate(0.1).withMomentum(0.9).withNesterov(true));
      t.fit(Dataset.of(x, y), FitOptions.defaults().withEpochs(3).withBatchSize(4).withoutShuffle().withValidationSplit(0.2));
      expected = t.weights().values();
    }
    List<Tensor> written = Npz.readList(dir.resolve("ref.npz"));
    List<Tensor> writtenTf = Npz.readList(dir.resolve("tf.npz"));
    for (int i = 0; i < expected.size(); i++) {
      Checks.assertClose("weight " + i, expected.get(i), written.get(i), 0, 0);
      Checks.assertClose("weight " + i + " (tensorflow)", expected.get(i), writtenTf.get(i), 1e-5, 1e-5);
    }
    String json = Files.readString(history);
    assertTrue(json.contains("\"loss\"") && json.contains("\"val_loss\"") && json.contains("\"epoch\" : [ 0, 1, 2 ]"), json);
    // the trained weights load back into the model they came from
    Model trained = KerasModels.load(model, dir.resolve("ref.npz"));
    assertEquals(expected.size(), trained.weights().size());
  }

  @Test
  void writesKeras3WeightsFiles() {
    Path out = dir.resolve("trained.weights.h5");
    CliRunner.Outcome o = train("reference", out, "--optimizer", "adam", "--epochs", "2", "--seed", "3", "--accuracy");
    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains(" - accuracy: "), o.out());
    Model back = KerasModels.load(model, out);
    Model written = KerasModels.load(model, weights);
    assertFalse(java.util.Arrays.equals(back.weights().get(0).toArray(), written.weights().get(0).toArray()), "trained");
  }

  @Test
  void badArgumentsAreOneLineErrors() {
    CliRunner.Outcome o = train("reference", dir.resolve("o.keras"));
    assertEquals(2, o.exitCode());
    assertTrue(o.err().contains("a .keras output keeps the config of a .keras --model"), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    o = train("reference", dir.resolve("o.npz"), "--optimizer", "lamb");
    assertEquals(2, o.exitCode());
    assertTrue(o.err().contains("unknown optimizer 'lamb'"), o.err());
    o = train("reference", dir.resolve("o.npz"), "--optimizer", "adam", "--momentum", "0.9");
    assertEquals(2, o.exitCode());
    assertTrue(o.err().contains("adam has no parameter momentum"), o.err());
    o = train("reference", dir.resolve("o.txt"));
    assertEquals(2, o.exitCode());
    assertTrue(o.err().contains("expected a name ending .npz, .weights.h5 or .keras"), o.err());
    o = train("reference", dir.resolve("o.npz"), "--early-stopping", "1", "--monitor", "val_accuracy");
    assertEquals(2, o.exitCode());
    assertTrue(o.err().contains("early stopping monitors 'val_accuracy'"), o.err());
    o = train("reference", dir.resolve("o.npz"), "--no-shuffle", "--seed", "1");
    assertEquals(2, o.exitCode());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.Gradients;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.StatefulModel;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.Call;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.Float64Oracle;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.testing.RandomData;
import org.rnn4j.junit.ParityAssertions;
import org.rnn4j.keras.KerasSaver;
import org.rnn4j.parity.RecordedOutputs;
import org.rnn4j.parity.Tolerance;
import org.rnn4j.training.Dataset;
import org.rnn4j.training.EarlyStopping;
import org.rnn4j.training.FitOptions;
import org.rnn4j.training.History;
import org.rnn4j.training.LearningRate;
import org.rnn4j.training.Optimizer;
import org.rnn4j.training.Trainer;

/** The Java examples of the README, which must appear there verbatim, so that the README stays true. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRuns() {
    // --- README example start
    RNN stack = RNN.builder(StackedRNNCells.of(LSTMCell.of(4), LSTMCell.of(5)))
        .returnSequences(true)
        .returnState(true)
        .build();
    Model model = Model.initialized(Sequential.of(InputSpec.sequence(6), stack), 42); // Keras' default initializers

    Tensor x = Tensor.of(new float[][][] {
        {{1, 2, 3, 4, 3, 2}, {1, 2, 1, 1, 1, 2}, {1, 2, 2, 2, 2, 2}},
        {{1, 2, 3, 4, 3, 2}, {3, 2, 2, 1, 1, 2}, {0, 0, 0, 0, 3, 2}}});

    for (String name : Backends.availableNames()) {          // "reference", "tensorflow"
      try (Backend backend = Backends.open(name);
           PreparedModel prepared = backend.prepare(model)) {
        Result r = prepared.run(x);
        Tensor output = r.output();                          // (2, 3, 5)
        Tensor h2 = r.states().get(1).tensors().get(0);      // [h2, c2]: the second cell's states
        System.out.println(name + ": " + output + "\nh2 = " + h2);
        // --- README example end
        assertArrayEquals(new int[] {2, 3, 5}, output.shape());
        assertArrayEquals(new int[] {2, 5}, h2.shape());
        assertEquals(5, r.flat().size());
      }
    }
  }

  @Test
  void readmeStreamingExampleRuns() {
    Path file = GoldenFiles.path("fixtures/keras3/rtneural_gru.keras");
    List<Tensor> frames = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      frames.add(RandomData.uniform(i, -1, 1, 1, 1, 1));
    }
    List<Tensor> outputs = new ArrayList<>();
    List<float[]> samples = frames.stream().map(Tensor::toArray).toList();
    List<Float> stepped = new ArrayList<>();
    // --- README streaming example start
    Model model = KerasModels.load(file);                            // a Keras 3 .keras file
    try (Backend backend = Backends.open("reference", Map.of("threads", "1"));
         PreparedModel prepared = backend.prepare(model)) {
      StatefulModel stream = StatefulModel.of(prepared);             // states carried from call to call
      for (Tensor frame : frames) {                                  // (batch, 1, features) each
        outputs.add(stream.run(frame).output());
      }
      stream.resetStates();                                          // a new sequence starts
      float[] y = new float[1];                                      // batch × output features
      for (float[] sample : samples) {                               // batch × input features
        stream.step(sample, y);                                      // in place: allocates nothing when warm
        stepped.add(y[0]);
      }
    }
    // --- README streaming example end
    assertEquals(4, outputs.size());
    assertArrayEquals(new int[] {1, 1, 1}, outputs.get(3).shape());
    for (int i = 0; i < 4; i++) {
      assertEquals(outputs.get(i).getFlat(0), stepped.get(i), 0f, "step " + i);
    }
  }

  @Test
  void readmeFunctionalExampleRunsAndMatchesTheOracle() {
    Tensor sourceIds = Tensor.of(new float[][] {{3, 1, 4, 1, 5, 0}, {2, 7, 1, 8, 0, 0}});
    Tensor targetIds = Tensor.of(new float[][] {{1, 6, 1, 8}, {3, 3, 9, 0}});
    List<Tensor> outputs;
    // --- README functional example start
    Functional.Builder b = Functional.builder();
    Functional.Ref source = b.input("source", InputSpec.ids(-1));
    Functional.Ref target = b.input("target", InputSpec.ids(-1));
    Functional.Ref src = b.call(Embedding.of(20, 8, true), source).get(0);            // mask_zero: 0 pads
    List<Functional.Ref> encoder = b.call(LSTM.builder(16).returnState(true).build(), src); // [output, h, c]
    Functional.Ref tgt = b.call(Embedding.of(20, 8, true), target).get(0);
    Functional.Ref decoded = b.call(LSTM.builder(16).returnSequences(true).build(),
        List.of(tgt), null, List.of(encoder.get(1), encoder.get(2))).get(0);         // initial_state=[h, c]
    Functional.Ref probs = b.call(Dense.builder(20).activation(Activation.SOFTMAX).build(), decoded).get(0);
    Model seq2seq = Model.initialized(b.build("seq2seq", probs, encoder.get(1)), 7);

    try (Backend backend = Backends.open("reference");
         PreparedModel prepared = backend.prepare(seq2seq)) {
      Result r = prepared.run(Call.of(List.of(sourceIds, targetIds)));
      outputs = r.kerasOutputs();                            // what model.predict returns: [probs, h]
    }
    // --- README functional example end
    assertArrayEquals(new int[] {2, 4, 20}, outputs.get(0).shape());
    assertArrayEquals(new int[] {2, 16}, outputs.get(1).shape());
    Result expected = Float64Oracle.run(seq2seq, Call.of(List.of(sourceIds, targetIds)));
    Checks.assertClose("probs", expected.outputs().get(0), outputs.get(0), Checks.ATOL, 0);
    Checks.assertClose("h", expected.outputs().get(1), outputs.get(1), Checks.ATOL, 0);
  }

  @Test
  void readmeGradientsExampleRunsAndAgreesWithTensorFlow() {
    Model model = Model.initialized(Sequential.of(InputSpec.sequence(6), LSTM.of(8), Dense.of(3)), 5);
    Tensor x = org.rnn4j.testing.RandomData.uniform(1, -1, 1, 2, 3, 6);
    Tensor h0 = org.rnn4j.testing.RandomData.uniform(2, -1, 1, 2, 8);
    Tensor c0 = org.rnn4j.testing.RandomData.uniform(3, -1, 1, 2, 8);
    Tensor target = Tensor.of(2f, 0f);
    Gradients reference;
    // --- README gradients example start
    try (Backend backend = Backends.open("reference");
         PreparedModel prepared = backend.prepare(model)) {
      Gradients g = prepared.gradients(Call.of(x).withInitialState(h0, c0), target,
          Loss.of("sparse_categorical_crossentropy", true));          // from_logits=True
      float loss = g.loss();
      Tensor dKernel = g.weight(0);                                   // d loss / d model.get_weights()[0]
      Tensor dx = g.input();                                          // null for an input of token ids
      List<Tensor> dInit = g.initialStates().get(0);                  // [dh0, dc0] of layer 0
    // --- README gradients example end
      assertArrayEquals(new int[] {6, 32}, dKernel.shape());
      assertArrayEquals(new int[] {2, 3, 6}, dx.shape());
      assertEquals(2, dInit.size());
      assertTrue(loss > 0);
      reference = g;
    }
    try (Backend backend = Backends.open("tensorflow");
         PreparedModel prepared = backend.prepare(model)) {
      Gradients g = prepared.gradients(Call.of(x).withInitialState(h0, c0), target, Loss.of("sparse_categorical_crossentropy", true));
      for (int i = 0; i < g.weights().size(); i++) {
        Checks.assertClose("weight " + i, reference.weight(i), g.weight(i), Checks.ATOL, 0);
      }
    }
  }

  @Test
  void readmeTrainingExampleRunsAndSavesForKeras(@org.junit.jupiter.api.io.TempDir Path dir) {
    Model model = Model.initialized(Sequential.of(InputSpec.sequence(6), LSTM.of(8), Dense.of(3)), 5);
    Tensor x = org.rnn4j.testing.RandomData.uniform(1, -1, 1, 40, 3, 6);
    Tensor y = org.rnn4j.testing.RandomData.uniform(2, -1, 1, 40, 3);
    Path out = dir.resolve("trained.weights.h5");
    // --- README training example start
    try (Backend backend = Backends.open("reference");
         PreparedModel prepared = backend.prepare(model)) {
      Trainer trainer = Trainer.of(prepared, Loss.of("mse", false),
          Optimizer.adam().withLearningRate(LearningRate.exponentialDecay(1e-2, 10, 0.9, false)));
      History history = trainer.fit(Dataset.of(x, y), FitOptions.defaults()
          .withEpochs(5).withBatchSize(16).withoutShuffle().withValidationSplit(0.2)
          .withEarlyStopping(EarlyStopping.onValidationLoss().withPatience(2)));
      List<Double> losses = history.get("loss");                       // per epoch, as Keras' History
      KerasSaver.save(trainer.model(), out, null);                      // or .npz, or .keras
    // --- README training example end
      assertTrue(losses.get(losses.size() - 1) < losses.get(0), losses.toString());
      // early stopping ends training after the epoch it names, else all 5 run
      assertEquals(history.stoppedEpoch() < 0 ? 5 : history.stoppedEpoch() + 1, history.epochs());
      assertTrue(Files.isRegularFile(out));
    }
  }

  /** The README's parity test of a user's model: Keras' recorded outputs (a Keras 3 fixture) on every backend. */
  @org.rnn4j.junit.BackendTest
  void readmeParityTestExampleRunsOnEveryBackend(Backend backend) {
    Path modelFile = GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn.keras");
    Tensor x = org.rnn4j.io.Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_x.npy"));
    RecordedOutputs keras = RecordedOutputs.of("bidirectional_simple_rnn_y.npy",
        List.of(org.rnn4j.io.Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_y.npy"))));
    // --- README parity example start
    try (PreparedModel prepared = backend.prepare(KerasModels.load(modelFile))) {
      ParityAssertions.assertMatchesRecorded(keras, prepared.run(x), Tolerance.FLOAT32, backend.name());
    }
    // --- README parity example end
  }

  @Test
  void theReadmeShowsTheParityFailureMessageAsItIs() throws IOException {
    Tensor y = org.rnn4j.io.Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_y.npy"));
    float[] v = y.toArray();
    v[(0 * 3 + 1) * 8 + 4] += 1e-3f;
    RecordedOutputs moved = RecordedOutputs.of("keras_outputs.npz", List.of(Tensor.of(y.shape(), v)));
    AssertionError e;
    try (Backend backend = Backends.open("reference");
        PreparedModel p = backend.prepare(KerasModels.load(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn.keras")))) {
      Result r = p.run(org.rnn4j.io.Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_x.npy")));
      e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
          () -> ParityAssertions.assertMatchesRecorded(moved, r, Tolerance.FLOAT32, "reference"));
    }
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(readme.contains("```\n" + e.getMessage() + "\n```"), "README.md does not show the failure as it reads:\n" + e.getMessage());
  }

  @Test
  void theReadmeShowsEveryExampleVerbatim() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String source = Files.readString(Path.of("src", "test", "java", "org", "rnn4j", "cli", "ReadmeExampleTest.java"));
    for (String name : List.of("README example", "README streaming example", "README functional example", "README gradients example",
        "README training example", "README parity example")) {
      String block = between(source, "// --- " + name + " start\n", "// --- " + name + " end");
      assertTrue(readme.contains(block), "README.md does not show the " + name + " verbatim:\n" + block);
    }
  }

  /** The lines between two markers, with the common indentation removed. */
  private static String between(String text, String start, String end) {
    int s = text.indexOf(start) + start.length();
    int e = text.lastIndexOf('\n', text.indexOf(end, s)) + 1;
    List<String> lines = text.substring(s, e).lines().toList();
    int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String l : lines) {
      out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return out.toString();
  }
}

package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Call;
import org.rnn4j.Gradients;
import org.rnn4j.Loss;
import org.rnn4j.PreparedModel;
import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.Model;
import org.rnn4j.Rnn4jException;
import org.rnn4j.Tensor;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Architecture;

/**
 * Real Keras 3 {@code .keras} files saved in public projects ({@code shared/golden/keras3-real/}
 * beside the project; they carry no license, so they are read from there and never copied into
 * it). Each one either runs on the backend under test and matches the float64 oracle on a seeded
 * input, or is refused with the one-line error {@link #EXPECTED} names. When the folder is
 * absent the test says so and is skipped.
 */
final class RealKerasFilesSuite {
  private RealKerasFilesSuite() {}

  /** Every file and what rnn4j does with it: "runs", or a fragment of its one-line refusal. */
  static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("simplernn_relu_stacked.keras", "runs"),
      Map.entry("bilstm_stacked.keras", "runs"),
      Map.entry("gru_dense_softmax_k31.keras", "runs"),
      Map.entry("bilstm_dense_softmax_k31.keras", "runs"),
      Map.entry("emb_gru_sigmoid.keras", "runs"),
      Map.entry("emb_simplernn_softmax.keras", "runs"),
      Map.entry("emb_gru_seq_dense3d.keras", "runs"),
      Map.entry("lstm_autoencoder_timedist.keras", "runs"),
      Map.entry("gru_stacked_dense.keras", "runs"),
      Map.entry("conv1d_lstm.keras", "runs"),
      Map.entry("fn_emb_maskzero_lstm_state.keras", "runs"),
      Map.entry("fn_masking_emb_lstm_state.keras", "runs")));

  /** {@code shared/golden/keras3-real} in the working directory's ancestors, or null. */
  static Path folder() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/golden/keras3-real");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  static Stream<DynamicNode> tests(ContractContext ctx) {
    Path dir = folder();
    if (dir == null) {
      return Stream.of(dynamicTest("real Keras 3 files: shared/golden/keras3-real is absent beside the project, not checked", () -> {
        System.out.println("[" + ctx.label() + "] shared/golden/keras3-real not found above " + Path.of("").toAbsolutePath()
            + ": the real Keras 3 files are not checked");
        Assumptions.abort("shared/golden/keras3-real is absent");
      }));
    }
    return EXPECTED.entrySet().stream().map(e -> dynamicTest(e.getKey() + ": " + e.getValue(), () -> {
      Path file = dir.resolve(e.getKey());
      assertTrue(Files.isRegularFile(file), file + " is missing from " + dir);
      if (e.getValue().equals("runs")) {
        Model m = KerasModels.load(file);
        Call call = Call.of(input(m, e.getKey().hashCode()));
        ctx.record("real Keras 3 files vs float64", Checks.assertResultsClose(e.getKey(), Float64Oracle.run(m, call),
            ctx.run(m, call), Checks.ATOL, 0));
        gradients(ctx, e.getKey(), m, call);
      } else {
        try {
          Model m = KerasModels.load(file);
          ctx.run(m, input(m, 1));
          fail(e.getKey() + " was expected to be refused with '" + e.getValue() + "', but it ran");
        } catch (Rnn4jException refusal) {
          String message = refusal.getMessage();
          assertFalse(message.contains("\n"), "a refusal is one line: " + message);
          assertTrue(message.contains(e.getKey()), "the refusal names the file: " + message);
          assertTrue(message.contains(e.getValue()), "expected '" + e.getValue() + "' in: " + message);
        }
      }
    }));
  }

  /**
   * The mse gradients of the file's model at sampled elements against central differences of the
   * float64 oracle, or the one-line refusal of a model with a layer rnn4j cannot differentiate yet.
   */
  private static void gradients(ContractContext ctx, String file, Model m, Call call) {
    Loss mse = Loss.of("mse", false);
    Tensor target = GradientSuite.target(mse, m, call, file.hashCode());
    try (PreparedModel p = ctx.backend().prepare(m)) {
      Gradients g;
      try {
        g = p.gradients(call, target, mse);
      } catch (UnsupportedFeatureException refused) {
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("gradients: layer "), refused.getMessage());
        return;
      }
      ctx.record("real Keras 3 files: gradients at sampled elements vs float64 finite differences",
          GradientSuite.assertSampledGradients(file + " gradients", m, call, target, mse, g, 4, file.hashCode()));
    }
  }

  /** A seeded input for the model: token ids below the vocabulary, else values in [-1, 1); 7 steps where the length is open. */
  static Tensor input(Model m, long seed) {
    Architecture arch = m.architecture();
    InputSpec spec = arch.inputs().get(0);
    int[] shape = new int[spec.shape().length + 1];
    shape[0] = 3;
    for (int i = 0; i < spec.shape().length; i++) {
      shape[i + 1] = spec.shape()[i] < 0 ? 7 : spec.shape()[i];
    }
    if (!spec.integerIds()) {
      return RandomData.uniform(seed, -1, 1, shape);
    }
    int vocabulary = Integer.MAX_VALUE;
    for (Layer l : arch.layers()) {
      if (l instanceof Embedding e) {
        vocabulary = Math.min(vocabulary, e.inputDim());
      }
    }
    SplittableRandom r = new SplittableRandom(seed);
    float[] ids = new float[Math.multiplyExact(shape[0], shape[1])];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(vocabulary);
    }
    assertEquals(2, shape.length, "token ids are (batch, steps)");
    return Tensor.wrap(shape, ids);
  }
}

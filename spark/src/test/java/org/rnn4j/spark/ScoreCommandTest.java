package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.keras.KerasModels;

/** {@code score} in local mode: the outputs of one call on one JVM, row for row; bad arguments exit 2. */
class ScoreCommandTest {
  @TempDir Path dir;

  @Test
  void scoresAnNpyInputInRowOrderAsOneJvmDoes() throws Exception {
    Path model = GoldenFiles.path("fixtures/keras3/gru_reset_before.json");
    Path weights = GoldenFiles.path("fixtures/keras3/gru_reset_before.weights.h5");
    Path x = dir.resolve("x.npy");
    Tensor input = org.rnn4j.testing.RandomData.uniform(3, -1, 1, 50, 8, 5);
    Npy.write(x, input);
    Path out = dir.resolve("scores.npz");
    assertEquals(0, Main.run("score", "--master", "local[2]", "--model", model.toString(), "--weights", weights.toString(),
        "--input", x.toString(), "--partitions", "4", "--rows-per-batch", "7", "--output", out.toString()));
    Map<String, Tensor> written = Npz.read(out);
    Tensor expected;
    try (Backend b = Backends.open("reference"); PreparedModel p = b.prepare(KerasModels.load(model, weights))) {
      expected = p.run(input).output();
    }
    // bit for bit: the reference backend's rows do not depend on how they are batched
    org.rnn4j.testing.Checks.assertClose("output", expected, written.get("output"), 0, 0);
  }

  @Test
  void badArgumentsExitWith2() {
    Path model = GoldenFiles.path("fixtures/keras3/gru_reset_before.json");
    assertEquals(2, Main.run("score", "--model", model.toString(), "--input", dir.resolve("absent.npy").toString(), "--output",
        dir.resolve("o.npz").toString()));
    assertEquals(2, Main.run("score", "--model", model.toString(), "--input", model.toString(), "--output", dir.resolve("o.csv").toString()));
  }
}

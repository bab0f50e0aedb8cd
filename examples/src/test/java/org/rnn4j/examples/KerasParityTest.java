package org.rnn4j.examples;

import java.nio.file.Path;
import java.util.List;
import org.rnn4j.Backend;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.io.Npy;
import org.rnn4j.junit.BackendTest;
import org.rnn4j.junit.ParityAssertions;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.parity.RecordedOutputs;
import org.rnn4j.parity.Tolerance;

/**
 * A parity test of a user's model, written the way the README recommends: the outputs Keras gave
 * for an input, recorded in Python, checked on every backend on the test class path. (Here the
 * model and its recorded outputs are a Keras 3 fixture; a project would keep its own under
 * {@code src/test/resources}, saved with {@code np.savez("keras_outputs.npz", *outputs)}.)
 */
class KerasParityTest {
  private static final Path MODEL = GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn.keras");
  private static final Tensor X = Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_x.npy"));
  private static final RecordedOutputs KERAS = RecordedOutputs.of("bidirectional_simple_rnn_y.npy",
      List.of(Npy.read(GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn_y.npy"))));

  @BackendTest({"reference", "tensorflow"})
  void matchesTheOutputsKerasRecorded(Backend backend) {
    try (PreparedModel prepared = backend.prepare(KerasModels.load(MODEL))) {
      ParityAssertions.assertMatchesRecorded(KERAS, prepared.run(X), Tolerance.FLOAT32, backend.name());
    }
  }
}

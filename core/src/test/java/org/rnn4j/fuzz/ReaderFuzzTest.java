package org.rnn4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.Limits;
import org.rnn4j.Model;
import org.rnn4j.Rnn4jException;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.keras.KerasConfigReader;
import org.rnn4j.keras.KerasFileInfo;
import org.rnn4j.keras.KerasModels;

/**
 * Coverage-guided fuzzing of every file reader: whatever the bytes, a reader returns a result or
 * throws one of rnn4j's documented exceptions ({@link Rnn4jException}); any other exception, a
 * hang or running out of memory is a finding.
 *
 * <p>In the normal test run each method replays its seed corpus and past findings from {@code
 * src/test/resources/org/rnn4j/fuzz/ReaderFuzzTestInputs/<method>/} (a few seconds). To fuzz, see
 * the README's "Fuzzing" section: {@code JAZZER_FUZZ=1 mvn -pl core test -Dtest=ReaderFuzzTest#npy}.
 * Findings are written to that directory; keep each one there as a regression input.
 */
class ReaderFuzzTest {
  /** Small limits, so that a fuzzed file asking for a lot is refused rather than allocated. */
  private static final Limits LIMITS = Limits.defaults().withMemoryBytes(64 << 20).withJsonBytes(1 << 20);

  @FuzzTest(maxDuration = "5m")
  void npy(byte[] data) {
    expectRnn4jErrorsOnly(() -> {
      try {
        Npy.read(new ByteArrayInputStream(data), data.length, "fuzz.npy", LIMITS.budget("fuzz.npy"));
        Npy.read(new ByteArrayInputStream(data), -1, "fuzz.npy", LIMITS.budget("fuzz.npy"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @FuzzTest(maxDuration = "5m")
  void npz(byte[] data) {
    Path file = write("fuzz.npz", data);
    expectRnn4jErrorsOnly(() -> Npz.readList(file, LIMITS));
  }

  @FuzzTest(maxDuration = "5m")
  void json(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    expectRnn4jErrorsOnly(() -> {
      Model.initialized(KerasConfigReader.parse(KerasConfigReader.parseJson(text, "fuzz.json", LIMITS), "fuzz.json", null).architecture(), 1);
    });
  }

  @FuzzTest(maxDuration = "5m")
  void h5(byte[] data) {
    Path file = write("fuzz.h5", data);
    expectRnn4jErrorsOnly(() -> KerasFileInfo.read(file));
    expectRnn4jErrorsOnly(() -> KerasModels.load(file, null, LIMITS));
  }

  @FuzzTest(maxDuration = "5m")
  void keras(byte[] data) {
    Path file = write("fuzz.keras", data);
    expectRnn4jErrorsOnly(() -> KerasFileInfo.read(file));
    expectRnn4jErrorsOnly(() -> KerasModels.load(file, null, LIMITS));
  }

  private static void expectRnn4jErrorsOnly(Runnable read) {
    try {
      read.run();
    } catch (Rnn4jException expected) {
      // a clear, documented error: what every bad file must produce
    }
  }

  private static final Path DIR = tempDir();

  private static Path tempDir() {
    try {
      Path d = Files.createTempDirectory("rnn4j-fuzz");
      d.toFile().deleteOnExit();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(String name, byte[] data) {
    try {
      Path f = DIR.resolve(name);
      Files.write(f, data);
      f.toFile().deleteOnExit();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

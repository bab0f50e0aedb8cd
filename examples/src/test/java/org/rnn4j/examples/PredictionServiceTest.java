package org.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.golden.GoldenFiles;

/** The application on each backend, chosen only by the system property: concurrent answers equal serial ones. */
class PredictionServiceTest {
  private static final Path MODEL = GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn.keras");

  @AfterEach
  void clear() {
    System.clearProperty(PredictionService.BACKEND_PROPERTY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "tensorflow"})
  void servesConcurrentCallersOnTheConfiguredBackend(String backend) throws Exception {
    System.setProperty(PredictionService.BACKEND_PROPERTY, backend);
    try (PredictionService service = PredictionService.open(MODEL)) {
      String summary = service.serveConcurrently(8, 25);
      assertTrue(summary.startsWith(backend + ": 200 predictions from 8 concurrent callers"), summary);
    }
  }
}

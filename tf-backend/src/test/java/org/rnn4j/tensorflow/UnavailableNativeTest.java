package org.rnn4j.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rnn4j.BackendUnavailableException;
import org.rnn4j.Backends;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Sequential;
import org.rnn4j.spi.BackendProvider;

/**
 * Without TensorFlow's native library on the class path, the provider reports itself unavailable
 * with the reason, opening it says so, and the reference backend keeps working. Checked in a
 * separate JVM whose class path lacks the platform's native jar.
 */
class UnavailableNativeTest {
  /** Runs in the child JVM. */
  public static void main(String[] args) {
    BackendProvider tf = Backends.provider("tensorflow");
    System.out.println("available=" + tf.availability().available());
    System.out.println("reason=" + tf.availability().reason());
    try {
      Backends.open("tensorflow");
      System.out.println("open=ok");
    } catch (BackendUnavailableException e) {
      System.out.println("open=" + e.getMessage());
    }
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(2), LSTM.of(3)), 1);
    try (var b = Backends.open("reference"); PreparedModel p = b.prepare(m)) {
      System.out.println("reference=" + Arrays.toString(p.run(Tensor.zeros(1, 2, 2)).output().shape()));
    }
  }

  @Test
  void reportsWhyAndLeavesTheReferenceBackendWorking() throws Exception {
    String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Path.of(e).getFileName().toString().matches("tensorflow-core-native-.*-(linux|macosx|windows).*\\.jar"))
        .collect(Collectors.joining(File.pathSeparator));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", cp, UnavailableNativeTest.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> lines = out.lines().toList();
    assertTrue(lines.contains("available=false"), out);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("reason=TensorFlow Java could not load on")), out);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("open=backend 'tensorflow' is not available: ")), out);
    assertTrue(lines.contains("reference=[1, 3]"), out);
  }
}

package org.rnn4j.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.Call;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.initializers.RandomUniform;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.RandomData;

/** The fast path: threads change nothing, and it stays within the parity tolerance of the exact path. */
class FastPathTest {
  static List<RNN> layers() {
    RandomUniform bias = new RandomUniform(-0.5, 0.5);
    return List.of(
        LSTM.builder(96).biasInitializer(bias).returnSequences(true).returnState(true).build(),
        GRU.builder(80).biasInitializer(bias).returnSequences(true).returnState(true).build(),
        GRU.builder(80).resetAfter(false).biasInitializer(bias).returnSequences(true).returnState(true).build(),
        SimpleRNN.builder(70).biasInitializer(bias).returnSequences(true).returnState(true).build());
  }

  /**
   * Batch rows split across threads compute exactly what one thread computes: the results are
   * bit-identical, run after run (a race between threads would show here).
   */
  @Test
  void threadsGiveBitIdenticalResults() {
    try (Backend one = Backends.open("reference", Map.of("threads", "1"));
        Backend two = Backends.open("reference", Map.of("threads", "2"))) {
      for (RNN layer : layers()) {
        Model m = Model.initialized(Sequential.of(InputSpec.sequence(24), layer), 7);
        Tensor x = RandomData.uniform(1, -1, 1, 64, 40, 24);
        try (PreparedModel p = one.prepare(m); PreparedModel q = two.prepare(m)) {
          Result serial = p.run(x);
          for (int i = 0; i < 5; i++) {
            Result parallel = q.run(x);
            for (int k = 0; k < serial.flat().size(); k++) {
              assertArrayEquals(serial.flat().get(k).toArray(), parallel.flat().get(k).toArray(), layer + " tensor " + k + " run " + i);
            }
          }
        }
      }
    }
  }

  /**
   * Gradients too: the backward pass walks each thread's batch rows back through the steps (a
   * masked row mid-sequence included) and splits its GEMMs by rows of the result, so two or three
   * threads give one thread's gradients bit for bit. The LSTM's and SimpleRNN's weight gradients
   * come two ways ({@link CellBackprop#gradientRow}): threads taking whole blocks of 16 batch rows,
   * as many each, and each a chunk of steps at a time (64 rows on one or two threads, 37 on one or
   * three, 9 on one); or the threads' rows starting and ending inside blocks, or more threads for
   * the GEMMs than walk, and the weight gradients after the walk (64 rows on three threads, 37 on
   * two, 9 on two or three: one thread walks, several take the GEMMs). With the Vector API's
   * kernels and with the plain-Java ones ({@code simd=off}, whose packed operands are arrays per
   * row: each thread's buffer and each block's its own).
   */
  @Test
  void threadsGiveBitIdenticalGradients() {
    for (String simd : List.of("auto", "off")) {
      threadsGiveBitIdenticalGradients(simd);
    }
  }

  private static void threadsGiveBitIdenticalGradients(String simd) {
    org.rnn4j.Loss mse = org.rnn4j.Loss.of(org.rnn4j.Loss.Kind.MEAN_SQUARED_ERROR, false);
    try (Backend one = Backends.open("reference", Map.of("threads", "1", "simd", simd));
        Backend two = Backends.open("reference", Map.of("threads", "2", "simd", simd));
        Backend three = Backends.open("reference", Map.of("threads", "3", "simd", simd))) {
      for (int batch : new int[] {64, 37, 9}) {
        for (RNN layer : layers()) {
          Model m = Model.initialized(Sequential.of(InputSpec.sequence(24), layer), 9);
          Call call = Call.of(RandomData.uniform(4, -1, 1, batch, 40, 24)).withMask(RandomData.mask(5, batch, 40, 0.8));
          try (PreparedModel p = one.prepare(m); PreparedModel q = two.prepare(m); PreparedModel r = three.prepare(m)) {
            Tensor target = RandomData.uniform(6, -1, 1, p.run(call).output().shape());
            org.rnn4j.Gradients serial = p.gradients(call, target, mse);
            for (int i = 0; i < 3; i++) {
              org.rnn4j.Gradients parallel = (i == 1 ? r : q).gradients(call, target, mse);
              String what = layer + ", batch " + batch + ", simd " + simd + ", run " + i;
              assertEquals(serial.loss(), parallel.loss(), what + " loss");
              assertArrayEquals(serial.input().toArray(), parallel.input().toArray(), what + " input gradient");
              for (int w = 0; w < serial.weights().size(); w++) {
                assertArrayEquals(serial.weight(w).toArray(), parallel.weight(w).toArray(), what + " weight " + w + " gradient");
              }
            }
          }
        }
      }
    }
  }

  /**
   * Calls at once from several threads share the backend's worker threads: a call that finds them
   * busy runs on its caller alone, which then walks every block of a round itself (64 batch rows,
   * a two-thread backend), and still gives the gradients of one thread bit for bit.
   */
  @Test
  void concurrentGradientCallsGiveTheSerialGradients() throws Exception {
    org.rnn4j.Loss mse = org.rnn4j.Loss.of(org.rnn4j.Loss.Kind.MEAN_SQUARED_ERROR, false);
    try (Backend one = Backends.open("reference", Map.of("threads", "1"));
        Backend two = Backends.open("reference", Map.of("threads", "2"))) {
      Model m = Model.initialized(Sequential.of(InputSpec.sequence(24), layers().get(0)), 11);
      Call call = Call.of(RandomData.uniform(12, -1, 1, 64, 30, 24));
      try (PreparedModel p = one.prepare(m); PreparedModel q = two.prepare(m)) {
        Tensor target = RandomData.uniform(13, -1, 1, p.run(call).output().shape());
        org.rnn4j.Gradients serial = p.gradients(call, target, mse);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
          List<java.util.concurrent.Future<org.rnn4j.Gradients>> results = new java.util.ArrayList<>();
          for (int i = 0; i < 12; i++) {
            results.add(callers.submit(() -> q.gradients(call, target, mse)));
          }
          for (java.util.concurrent.Future<org.rnn4j.Gradients> f : results) {
            org.rnn4j.Gradients g = f.get();
            assertArrayEquals(serial.input().toArray(), g.input().toArray(), "input gradient");
            for (int w = 0; w < serial.weights().size(); w++) {
              assertArrayEquals(serial.weight(w).toArray(), g.weight(w).toArray(), "weight " + w + " gradient");
            }
          }
        } finally {
          callers.shutdownNow();
        }
      }
    }
  }

  /**
   * Plain Java and the Vector API sum in one order ({@link Simd#gemm}) and build the activations
   * by the same steps, so a model gives the same bits with the kernels in plain Java ({@code
   * simd=off}) as with the Vector API: outputs and gradients (a mask mid-sequence, sums over more
   * than one chunk of k), every recurrent kind, Bidirectional and a stack. Needs the Vector API
   * (skipped in the plain-Java run).
   */
  @Test
  void plainJavaKernelsGiveTheVectorKernelsBits() {
    assumeTrue(SimdProvider.best().usesPanels(), "the Vector API is not in this JVM");
    org.rnn4j.Loss mse = org.rnn4j.Loss.of(org.rnn4j.Loss.Kind.MEAN_SQUARED_ERROR, false);
    List<Sequential> models = new java.util.ArrayList<>();
    for (RNN layer : layers()) {
      models.add(Sequential.of(InputSpec.sequence(24), layer));
    }
    models.add(Sequential.of(InputSpec.sequence(24), Bidirectional.of(LSTM.builder(40).returnSequences(true).build())));
    models.add(Sequential.of(InputSpec.sequence(24), LSTM.builder(48).returnSequences(true).build(), GRU.of(32)));
    try (Backend vector = Backends.open("reference"); Backend plain = Backends.open("reference", Map.of("simd", "off"))) {
      for (Sequential arch : models) {
        Model m = Model.initialized(arch, 10);
        Call call = Call.of(RandomData.uniform(7, -1, 1, 9, 40, 24)).withMask(RandomData.mask(8, 9, 40, 0.8));
        try (PreparedModel v = vector.prepare(m); PreparedModel p = plain.prepare(m)) {
          Result expected = v.run(call);
          Result actual = p.run(call);
          for (int k = 0; k < expected.flat().size(); k++) {
            assertArrayEquals(expected.flat().get(k).toArray(), actual.flat().get(k).toArray(), arch + " output " + k);
          }
          Tensor target = RandomData.uniform(9, -1, 1, expected.output().shape());
          org.rnn4j.Gradients g = v.gradients(call, target, mse);
          org.rnn4j.Gradients h = p.gradients(call, target, mse);
          assertEquals(Float.floatToIntBits(g.loss()), Float.floatToIntBits(h.loss()), arch + " loss");
          assertArrayEquals(g.input().toArray(), h.input().toArray(), arch + " input gradient");
          for (int w = 0; w < g.weights().size(); w++) {
            assertArrayEquals(g.weight(w).toArray(), h.weight(w).toArray(), arch + " weight " + w + " gradient");
          }
        }
      }
    }
  }

  /**
   * A gradient call reuses the arrays of the one before it (unzeroed where nothing is masked): a
   * prepared model's masked call after calls on other data gives what a fresh model's gives, bit for
   * bit.
   */
  @Test
  void gradientCallsLeaveNothingBehind() {
    org.rnn4j.Loss mse = org.rnn4j.Loss.of(org.rnn4j.Loss.Kind.MEAN_SQUARED_ERROR, false);
    try (Backend backend = Backends.open("reference")) {
      for (RNN layer : layers()) {
        Model m = Model.initialized(Sequential.of(InputSpec.sequence(24), layer), 10);
        Call before = Call.of(RandomData.uniform(7, -2, 2, 8, 12, 24)).withMask(RandomData.mask(8, 8, 12, 0.7));
        Call other = Call.of(RandomData.uniform(9, -2, 2, 8, 12, 24));
        Call call = Call.of(RandomData.uniform(11, -1, 1, 8, 12, 24)).withMask(RandomData.mask(13, 8, 12, 0.6));
        try (PreparedModel used = backend.prepare(m); PreparedModel fresh = backend.prepare(m)) {
          Tensor target = RandomData.uniform(12, -1, 1, fresh.run(call).output().shape());
          org.rnn4j.Gradients expected = fresh.gradients(call, target, mse);
          used.gradients(before, target, mse);
          used.gradients(other, target, mse);
          org.rnn4j.Gradients actual = used.gradients(call, target, mse);
          assertArrayEquals(expected.input().toArray(), actual.input().toArray(), layer + " input gradient");
          for (int w = 0; w < expected.weights().size(); w++) {
            assertArrayEquals(expected.weight(w).toArray(), actual.weight(w).toArray(), layer + " weight " + w + " gradient");
          }
        }
      }
    }
  }

  @Test
  void staysWithinToleranceOfTheExactPath() {
    try (Backend fast = Backends.open("reference");
        Backend exact = Backends.open("reference", Map.of("path", "exact"))) {
      for (RNN layer : layers()) {
        Model m = Model.initialized(Sequential.of(InputSpec.sequence(24), layer), 8);
        Call call = Call.of(RandomData.uniform(2, -1, 1, 13, 30, 24)).withMask(RandomData.mask(3, 13, 30, 0.8));
        Result a;
        Result b;
        try (PreparedModel p = fast.prepare(m); PreparedModel q = exact.prepare(m)) {
          a = p.run(call);
          b = q.run(call);
        }
        Checks.assertResultsClose(layer.toString(), b, a, Checks.ATOL, 0);
      }
    }
  }

  @Test
  void reportsItsKernels() {
    String description = Backends.provider("reference").description();
    assertTrue(description.contains("SIMD") || description.contains("plain Java"), description);
    // the module's tests run with --add-modules jdk.incubator.vector: the Vector API kernels, 512
    // bits wide with AVX-512, else 256; at 256 in the run that asks for it
    String expected = "256".equals(System.getProperty("rnn4j.simd.bits")) ? "256" : "(256|512)";
    assertTrue(SimdProvider.best().name().matches("Vector API, " + expected + "-bit"), SimdProvider.best().name());
  }

  /**
   * A step small enough for one thread is stepped in place; a larger one (rows that the backend
   * would split across its threads) runs as a one-step call, which spreads it. Both give what a
   * one-step call gives, bit for bit.
   */
  @Test
  void largeStepsRunAsCallsAcrossThreads() {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(32), LSTM.builder(256).returnSequences(true).build()), 5);
    try (Backend b = Backends.open("reference", Map.of("threads", "2")); PreparedModel p = b.prepare(m)) {
      ReferencePreparedModel prepared = (ReferencePreparedModel) p;
      assertTrue(prepared.stepper(1, java.util.Set.of(0)) != null, "one row: stepped in place");
      assertEquals(null, prepared.stepper(64, java.util.Set.of(0)), "64 rows of LSTM(256): split across threads");
      for (int batch : new int[] {1, 64}) {
        Tensor x = RandomData.uniform(batch, -1, 1, batch, 3, 32);
        org.rnn4j.StatefulModel stepped = org.rnn4j.StatefulModel.of(p);
        org.rnn4j.StatefulModel called = org.rnn4j.StatefulModel.of(p);
        for (int t = 0; t < 3; t++) {
          float[] one = new float[batch * 32];
          for (int r = 0; r < batch; r++) {
            System.arraycopy(x.toArray(), (r * 3 + t) * 32, one, r * 32, 32);
          }
          float[] y = new float[batch * 256];
          stepped.step(one, y);
          assertArrayEquals(called.run(Tensor.wrap(new int[] {batch, 1, 32}, one)).output().toArray(), y, "batch " + batch + " step " + t);
        }
      }
    }
  }
}

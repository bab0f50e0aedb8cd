package org.rnn4j.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.Call;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Mask;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.testing.Checks;
import org.rnn4j.testing.RandomData;

class TensorFlowBackendTest {
  static Model notebookStack(long seed) {
    RNN layer = RNN.builder(StackedRNNCells.of(LSTMCell.of(4), LSTMCell.of(5))).returnSequences(true).returnState(true).build();
    return Model.initialized(Sequential.of(InputSpec.sequence(6), layer), seed);
  }

  @Test
  void fusedAndCompositePathsAgree() {
    try (Backend fused = Backends.open("tensorflow", Map.of("lstm_path", "fused"));
        Backend composite = Backends.open("tensorflow", Map.of("lstm_path", "composite"))) {
      for (long seed = 0; seed < 5; seed++) {
        Model m = notebookStack(seed);
        Tensor x = RandomData.uniform(seed, -3, 3, 7, 40, 6);
        Call call = Call.of(x).withInitialState(RandomData.uniform(seed + 1, -1, 1, 7, 4), RandomData.uniform(seed + 2, -1, 1, 7, 4),
            RandomData.uniform(seed + 3, -1, 1, 7, 5), RandomData.uniform(seed + 4, -1, 1, 7, 5));
        Result a;
        Result b;
        try (PreparedModel p = fused.prepare(m); PreparedModel q = composite.prepare(m)) {
          a = p.run(call);
          b = q.run(call);
        }
        Checks.assertResultsClose("seed " + seed, a, b, Checks.ATOL, 0);
      }
    }
  }

  @Test
  void forcedFusedPathRefusesWhatBlockLstmCannotComputeWhenPrepared() {
    Model hard = Model.initialized(Sequential.of(InputSpec.sequence(3),
        LSTM.builder(4).recurrentActivation(Activation.HARD_SIGMOID).build()), 1);
    try (Backend fused = Backends.open("tensorflow", Map.of("lstm_path", "fused"))) {
      UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> fused.prepare(hard));
      assertTrue(e.getMessage().contains("lstm_path=fused") && e.getMessage().contains("hard_sigmoid"), e.getMessage());
      try (PreparedModel p = fused.prepare(notebookStack(1))) {
        InvalidInputException m = assertThrows(InvalidInputException.class,
            () -> p.run(Call.of(Tensor.zeros(1, 2, 6)).withMask(Mask.allValid(1, 2))));
        assertTrue(m.getMessage().contains("cannot apply a mask"), m.getMessage());
      }
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Backends.open("tensorflow", Map.of("lstm_path", "fast")));
    assertTrue(e.getMessage().contains("must be one of auto, fused, composite"), e.getMessage());
  }

  @Test
  void autoPathFusesUnlessThreadsCanShareLargeSteps() {
    // one thread, one step, or a step below PARALLEL_MIN_STEP_MACS: fused
    assertTrue(LstmPath.autoFuses(1, 100, 128, 512, 1024));
    assertTrue(LstmPath.autoFuses(2, 1, 128, 512, 1024));
    assertTrue(LstmPath.autoFuses(2, 1000, 1, 32, 128));
    assertTrue(LstmPath.autoFuses(2, 3, 2, 6, 4));
    // W3 and W4 on two threads: composite
    assertTrue(!LstmPath.autoFuses(2, 100, 32, 64, 256));
    assertTrue(!LstmPath.autoFuses(2, 50, 128, 512, 1024));
    // the step size at the bound: 4 · 256 · (768 + 256) multiply-adds is 2^20
    assertTrue(LstmPath.autoFuses(2, 10, 1, 768, 255));
    assertTrue(!LstmPath.autoFuses(2, 10, 1, 768, 256));
    // what the session's threads decide is what the graph holds
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(64), LSTM.builder(256).returnSequences(true).build()), 3);
    Tensor x = RandomData.uniform(3, -1, 1, 8, 4, 64);
    try (Backend one = Backends.open("tensorflow", Map.of("intra_op_threads", "1"));
        Backend two = Backends.open("tensorflow", Map.of("intra_op_threads", "2"));
        TfPreparedModel p = (TfPreparedModel) one.prepare(m);
        TfPreparedModel q = (TfPreparedModel) two.prepare(m)) {
      Checks.assertResultsClose("1 vs 2 threads", p.run(x), q.run(x), Checks.ATOL, 0);
      assertTrue(p.operationTypes().contains("BlockLSTMV2"), p.operationTypes().toString());
      assertTrue(!q.operationTypes().contains("BlockLSTMV2") && q.operationTypes().contains("MatMul"),
          q.operationTypes().toString());
    }
  }

  @Test
  void buildsOneGraphPerCallSignature() {
    try (Backend tf = Backends.open("tensorflow");
        TfPreparedModel p = (TfPreparedModel) tf.prepare(notebookStack(2))) {
      for (int i = 0; i < 5; i++) {
        p.run(RandomData.uniform(i, -1, 1, 2, 3, 6));
      }
      assertEquals(1, p.cachedPlans());
      p.run(RandomData.uniform(9, -1, 1, 2, 4, 6));
      p.run(Call.of(RandomData.uniform(9, -1, 1, 2, 3, 6)).withMask(Mask.allValid(2, 3)));
      assertEquals(3, p.cachedPlans());
      for (int t = 1; t <= TfPreparedModel.MAX_PLANS + 4; t++) {
        p.run(RandomData.uniform(t, -1, 1, 1, t, 6));
      }
      assertEquals(TfPreparedModel.MAX_PLANS, p.cachedPlans());
    }
  }

  @Test
  void feedsALargeModelsWeightsToEveryGraphFromOneCopy() {
    // 8 MiB of weights: above SHARED_WEIGHTS_BYTES, so every graph is fed the one shared copy
    Model big = Model.initialized(Sequential.of(InputSpec.sequence(512), LSTM.builder(512).returnSequences(true).build()), 4);
    Model small = notebookStack(4);
    try (Backend reference = Backends.open("reference")) {
      for (String path : List.of("fused", "composite")) {
        try (Backend tf = Backends.open("tensorflow", Map.of("lstm_path", path));
            TfPreparedModel p = (TfPreparedModel) tf.prepare(big);
            PreparedModel r = reference.prepare(big);
            TfPreparedModel q = (TfPreparedModel) tf.prepare(small)) {
          assertTrue(p.sharesWeights(), "8 MiB of weights are shared");
          assertTrue(!q.sharesWeights(), "a small model keeps its weights as constants");
          for (int t = 2; t <= 4; t++) {
            Tensor x = RandomData.uniform(t, -1, 1, 2, t, 512);
            Checks.assertResultsClose(path + " T=" + t, r.run(x), p.run(x), Checks.ATOL, 0);
          }
          assertEquals(3, p.cachedPlans());
        }
      }
    }
  }

  @Test
  void joinsSmallFetchedTensorsIntoOneAndFetchesLargeOnesAlone() {
    // outputs of 8·10·64 = 5120 elements (> JOIN_MAX_ELEMENTS, fetched alone) next to states of 512
    // (joined); among the gradients, the kernels' alone, the bias' and the input's joined with the loss
    assertTrue(8 * 10 * 64 > GraphPlan.JOIN_MAX_ELEMENTS && 20 * 4 * 64 > GraphPlan.JOIN_MAX_ELEMENTS
        && 8 * 10 * 20 <= GraphPlan.JOIN_MAX_ELEMENTS);
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(20),
        LSTM.builder(64).returnSequences(true).returnState(true).build()), 7);
    Tensor x = RandomData.uniform(8, -1, 1, 8, 10, 20);
    Call call = Call.of(x).withInitialState(RandomData.uniform(9, -1, 1, 8, 64), RandomData.uniform(10, -1, 1, 8, 64));
    Tensor target = RandomData.uniform(11, -1, 1, 8, 10, 64);
    org.rnn4j.Loss mse = org.rnn4j.Loss.of("mse", false);
    try (Backend reference = Backends.open("reference");
        Backend tf = Backends.open("tensorflow");
        PreparedModel r = reference.prepare(m);
        PreparedModel t = tf.prepare(m)) {
      Checks.assertResultsClose("outputs and states", r.run(call), t.run(call), Checks.ATOL, 0);
      org.rnn4j.Gradients expected = r.gradients(call, target, mse);
      org.rnn4j.Gradients actual = t.gradients(call, target, mse);
      assertEquals(expected.loss(), actual.loss(), Checks.ATOL);
      for (int i = 0; i < expected.weights().size(); i++) {
        Checks.assertClose("weight " + i, expected.weight(i), actual.weight(i), Checks.ATOL, 0);
      }
      Checks.assertClose("input", expected.input(), actual.input(), Checks.ATOL, 0);
      for (int k = 0; k < 2; k++) {
        Checks.assertClose("initial state " + k, expected.initialStates().get(0).get(k), actual.initialStates().get(0).get(k),
            Checks.ATOL, 0);
      }
      Checks.assertClose("output", expected.output(), actual.output(), Checks.ATOL, 0);
    }
  }

  @Test
  void streamsOneStepAtATimeWithoutRebuildingTheGraph() {
    try (Backend tf = Backends.open("tensorflow");
        TfPreparedModel p = (TfPreparedModel) tf.prepare(notebookStack(5))) {
      org.rnn4j.StatefulModel stream = org.rnn4j.StatefulModel.of(p);
      for (int t = 0; t < 50; t++) {
        stream.run(RandomData.uniform(t, -1, 1, 2, 1, 6));
      }
      // one graph for the first step (zero states), one for every later step (states fed)
      assertEquals(2, p.cachedPlans());
    }
  }

  @Test
  void stepsArraysInPlaceKeepingTheStatesInTensorFlowsTensors() throws Exception {
    Model m = notebookStack(6);
    try (Backend tf = Backends.open("tensorflow");
        TfPreparedModel p = (TfPreparedModel) tf.prepare(m)) {
      org.rnn4j.StatefulModel stepped = org.rnn4j.StatefulModel.of(p);
      org.rnn4j.StatefulModel called = org.rnn4j.StatefulModel.of(p);
      float[] y = new float[2 * 5];
      for (int t = 0; t < 20; t++) {
        Tensor x = RandomData.uniform(t, -1, 1, 2, 1, 6);
        stepped.step(x.toArray(), y);
        // the same graph as a one-step call with the states fed: bit for bit
        Checks.assertClose("step " + t, called.run(x).output(), Tensor.wrap(new int[] {2, 1, 5}, y), 0, 0);
      }
      // one graph for the stepper and the calls with states, one for the first call (no states)
      assertEquals(2, p.cachedPlans());
      // no native tensor per step is left behind
      float[] x = RandomData.uniform(7, -1, 1, 2, 1, 6).toArray();
      for (int t = 0; t < 2_000; t++) {
        stepped.step(x, y);
      }
      long before = nativeEstimate();
      for (int t = 0; t < 20_000; t++) {
        stepped.step(x, y);
      }
      long growth = nativeEstimate() - before;
      System.out.printf("[tensorflow] native memory growth over 20,000 steps: %.1f MB%n", growth / 1e6);
      long leakedStatesPerStep = 20_000L * 2 * (4 + 4 + 5 + 5) * Float.BYTES;
      assertTrue(growth < leakedStatesPerStep, "native memory grew by " + growth / (1 << 20) + " MB");
    }
  }

  @Test
  void aStepperIsClosedWithItsModel() {
    try (Backend tf = Backends.open("tensorflow")) {
      TfPreparedModel p = (TfPreparedModel) tf.prepare(notebookStack(7));
      org.rnn4j.StatefulModel stream = org.rnn4j.StatefulModel.of(p);
      stream.step(new float[12], new float[10]);
      TfStepper stepper = (TfStepper) p.stepper(2, stream.carriedLayers());
      assertTrue(stepper.isOpen());
      p.close();
      assertTrue(!stepper.isOpen(), "the model's close closes its steppers' tensors");
      assertThrows(IllegalStateException.class, () -> stream.step(new float[12], new float[10]));
      assertThrows(IllegalStateException.class, () -> stepper.states());
    }
  }

  @Test
  void closesWhatItPreparedWhenTheBackendCloses() {
    Backend tf = Backends.open("tensorflow");
    PreparedModel p = tf.prepare(notebookStack(3));
    p.run(Tensor.zeros(1, 2, 6));
    tf.close();
    tf.close();
    assertTrue(p.isClosed());
    assertThrows(IllegalStateException.class, () -> p.run(Tensor.zeros(1, 2, 6)));
    assertThrows(IllegalStateException.class, () -> tf.prepare(notebookStack(3)));
  }

  /**
   * 10,000 runs of a prepared model with 51 KB inputs and outputs, after 2,000 warm-up runs: a
   * leaked input or output tensor per run would add about 1 GB. Native growth is the resident
   * set's growth minus the JVM's committed memory growth (the module's test JVM has a fixed,
   * pre-touched heap, so heap paging does not blur it). It must stay under a quarter of what one
   * leaked input tensor per run would add (about 128 MB): TensorFlow's allocator and malloc arenas
   * settle by tens of MB on some machines (up to +57 MiB over 100,000 runs here), a per-run leak
   * grows without bound.
   */
  @Test
  void nativeMemoryStaysFlatOver10000Runs() throws Exception {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(32), LSTM.builder(32).returnSequences(true).build()), 4);
    Tensor x = RandomData.uniform(5, -1, 1, 16, 25, 32);
    try (Backend tf = Backends.open("tensorflow"); PreparedModel p = tf.prepare(m)) {
      for (int i = 0; i < 2_000; i++) {
        p.run(x);
      }
      long before = nativeEstimate();
      for (int i = 0; i < 10_000; i++) {
        p.run(x);
      }
      long growth = nativeEstimate() - before;
      System.out.printf("[tensorflow] native memory growth over 10,000 runs: %.1f MB%n", growth / 1e6);
      long oneLeakedInputPerRun = 10_000L * x.size() * Float.BYTES;
      assertTrue(growth < oneLeakedInputPerRun / 4, "native memory grew by " + growth / (1 << 20) + " MB, a quarter of one leaked input per run is "
          + oneLeakedInputPerRun / 4 / (1 << 20) + " MB");
    }
  }

  /** Resident set size minus the JVM's committed heap and non-heap memory, in bytes. */
  static long nativeEstimate() throws Exception {
    System.gc();
    Thread.sleep(100);
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long jvm = mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted();
    return residentSetBytes() - jvm;
  }

  static long residentSetBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void switchesOffJavaCppsPerAllocationMemoryCheckUnlessTheApplicationSetIt() {
    try (Backend tf = Backends.open("tensorflow")) {
      assertEquals("0", System.getProperty(TensorFlowRuntime.MAX_PHYSICAL_BYTES));
    }
  }

  @Test
  void itsDescriptionSaysWhenJavaCppsMemoryCheckIsOn() {
    assertEquals("", TensorFlowRuntime.memoryCheckNote(0));
    assertTrue(TensorFlowRuntime.memoryCheckNote(1L << 33).contains("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"));
    // this test JVM loads TensorFlow through the provider first (GraphOpsTest too), so the check is off
    assertTrue(!Backends.describe("tensorflow").description().contains("JavaCPP"), Backends.describe("tensorflow").description());
  }

  @Test
  void reportsTensorFlowsOwnVersion() {
    try (Backend tf = Backends.open("tensorflow")) {
      assertTrue(tf.version().matches("\\d+\\.\\d+\\.\\d+.*"), tf.version());
    }
    assertTrue(Backends.provider("tensorflow").version().startsWith("TensorFlow "));
    assertEquals(List.of("reference", "tensorflow"), Backends.availableNames());
  }
}

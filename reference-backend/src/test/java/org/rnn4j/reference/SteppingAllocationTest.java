package org.rnn4j.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.StatefulModel;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNN;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.testing.RandomData;

/**
 * A warm {@link StatefulModel#step} on the reference backend allocates nothing: the bytes this
 * thread allocates, read from the JVM's per-thread counter, stay at zero over windows of a thousand
 * steps. Steady state is reached once the JIT has compiled the step (the interpreter and the first
 * compilation tiers may box the Vector API's vectors), so windows run until five in a row allocate
 * nothing, for at most {@link #MAX_WINDOWS}; any per-step allocation, even one object, keeps every
 * window above zero and fails the test.
 */
class SteppingAllocationTest {
  static final int STEPS_PER_WINDOW = 1000;
  static final int MAX_WINDOWS = 300;

  @Test
  void streamingLstmStepAllocatesNothing() {
    // W2 of the benchmarks: B=1 I=32 H=128.
    assertSteadyStateAllocationFree(Model.initialized(Sequential.of(InputSpec.sequence(32), LSTM.of(128)), 1), 1);
  }

  @Test
  void everyStageAllocatesNothing() {
    Model m = Model.initialized(Sequential.of(InputSpec.sequence(8),
        GRU.builder(16).returnSequences(true).build(),
        GRU.builder(12).resetAfter(false).returnSequences(true).stateful(true).build(),
        SimpleRNN.builder(10).returnSequences(true).build(),
        TimeDistributed.of(Dense.builder(6).activation(Activation.TANH).build()),
        LSTM.of(5),
        Dense.of(3)), 2);
    assertSteadyStateAllocationFree(m, 4);
  }

  private static void assertSteadyStateAllocationFree(Model m, int batch) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM counts allocated bytes per thread");
    int features = m.architecture().input().shape()[1];
    int outputs = m.architecture().outputShape()[m.architecture().outputShape().length - 1];
    float[] x = RandomData.uniform(3, -1, 1, batch, features).toArray();
    float[] y = new float[batch * outputs];
    try (Backend b = Backends.open("reference"); PreparedModel p = b.prepare(m)) {
      StatefulModel stream = StatefulModel.of(p);
      List<Long> windows = new ArrayList<>();
      int clean = 0;
      while (clean < 5 && windows.size() < MAX_WINDOWS) {
        stream.resetStates();
        stream.step(x, y);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < STEPS_PER_WINDOW; i++) {
          stream.step(x, y);
        }
        long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        windows.add(bytes);
        clean = bytes == 0 ? clean + 1 : 0;
      }
      assertEquals(5, clean, "bytes allocated per window of " + STEPS_PER_WINDOW + " steps, first and last windows: "
          + windows.subList(0, Math.min(5, windows.size())) + " ... " + windows.subList(Math.max(0, windows.size() - 5), windows.size()));
    }
  }
}

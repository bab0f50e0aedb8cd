package org.rnn4j.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.Call;
import org.rnn4j.Gradients;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Sequential;
import org.rnn4j.testing.RandomData;

/**
 * A run (or a gradient call) copies its inputs into arrays its workspace keeps from call to call: a
 * warm run allocates no copy of its input, and a result that is its input (an identity at
 * inference) or a reshape of it still holds its own call's values after the next call has
 * overwritten those arrays.
 */
class RunInputsTest {
  @Test
  void resultsThatShareAnInputKeepTheirValuesAfterTheNextCall() {
    List<Sequential> models = List.of(
        Sequential.of(InputSpec.sequence(3), InferenceIdentity.of("Dropout")),
        Sequential.of(InputSpec.of(4, 3), Flatten.of()));
    for (String simd : List.of("auto", "off")) {
      try (Backend backend = Backends.open("reference", Map.of("simd", simd))) {
        for (Sequential arch : models) {
          try (PreparedModel p = backend.prepare(Model.initialized(arch, 1))) {
            Tensor first = RandomData.uniform(1, -1, 1, 2, 4, 3);
            Tensor second = RandomData.uniform(2, -1, 1, 2, 4, 3);
            Result kept = p.run(first);
            Result next = p.run(second);
            assertArrayEquals(first.toArray(), kept.output().toArray(), arch + " first call's output after the second call");
            assertArrayEquals(second.toArray(), next.output().toArray(), arch + " second call's output");
            Loss mse = Loss.of(Loss.Kind.MEAN_SQUARED_ERROR, false);
            Tensor target = RandomData.uniform(5, -1, 1, kept.output().shape());
            Gradients g = p.gradients(Call.of(first), target, mse);
            p.gradients(Call.of(second), target, mse);
            assertArrayEquals(first.toArray(), g.output().toArray(), arch + " first gradient call's prediction after the second");
          }
        }
      }
    }
  }

  /**
   * The bytes this thread allocates per warm run of an LSTM whose input is 3.3 MB and whose result
   * is a few KB stay far below the input's size. Early runs may allocate more (the interpreter boxes
   * the Vector API's vectors), so runs go on until three in a row are under the bound.
   */
  @Test
  void aWarmRunAllocatesNoCopyOfItsInput() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM counts allocated bytes per thread");
    Tensor x = RandomData.uniform(3, -1, 1, 64, 200, 64);
    long inputBytes = 4L * x.size();
    try (Backend b = Backends.open("reference", Map.of("threads", "1")); PreparedModel p = b.prepare(Model.initialized(
        Sequential.of(InputSpec.sequence(64), LSTM.of(8)), 4))) {
      List<Long> perRun = new ArrayList<>();
      int under = 0;
      while (under < 3 && perRun.size() < 200) {
        long before = threads.getCurrentThreadAllocatedBytes();
        p.run(x);
        long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        perRun.add(bytes);
        under = bytes < inputBytes / 4 ? under + 1 : 0;
      }
      assertEquals(3, under, "bytes allocated per run (input " + inputBytes + " bytes), first and last: "
          + perRun.subList(0, Math.min(3, perRun.size())) + " ... " + perRun.subList(Math.max(0, perRun.size() - 3), perRun.size()));
    }
  }
}

package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Sequential;

/** Closing, and calls from several threads at once. */
final class LifecycleSuite {
  private LifecycleSuite() {}

  static Model small() {
    return Model.initialized(Sequential.of(InputSpec.sequence(6), LSTM.builder(8).returnSequences(true).returnState(true).build()), 2);
  }

  static Stream<DynamicNode> tests(ContractContext ctx) {
    return Stream.of(
        dynamicTest("a closed model refuses calls; closing twice is harmless", () -> {
          PreparedModel p = ctx.backend().prepare(small());
          p.run(Tensor.zeros(1, 2, 6));
          p.close();
          p.close();
          assertTrue(p.isClosed());
          IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.run(Tensor.zeros(1, 2, 6)));
          assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }),
        dynamicTest("concurrent calls give the results of serial calls", () -> concurrent(ctx, 4, 25)));
  }

  static void concurrent(ContractContext ctx, int threads, int callsPerThread) throws Exception {
    try (PreparedModel p = ctx.backend().prepare(small())) {
      List<Tensor> inputs = new ArrayList<>();
      List<Result> serial = new ArrayList<>();
      for (int i = 0; i < callsPerThread; i++) {
        Tensor x = RandomData.uniform(100 + i, -1, 1, 1 + i % 3, 2 + i % 5, 6);
        inputs.add(x);
        serial.add(p.run(x));
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          futures.add(pool.submit(() -> {
            for (int i = 0; i < callsPerThread; i++) {
              Result r = p.run(inputs.get(i));
              for (int k = 0; k < r.flat().size(); k++) {
                assertEquals(serial.get(i).flat().get(k), r.flat().get(k), "call " + i + " tensor " + k);
              }
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}

package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.rnn4j.Call;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.StatefulModel;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
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
        dynamicTest("8 threads calling prepared models at once get the results of serial calls, bit for bit", () -> concurrent(ctx, 8, 16)),
        dynamicTest("8 threads streaming through one prepared model, each with its own state", () -> concurrentStreams(ctx, 8, 12)));
  }

  /** Models of every kind, one big enough for a backend to split it across its own threads. */
  static List<Model> stressModels() {
    return List.of(
        small(),
        Model.initialized(Sequential.of(InputSpec.sequence(6), GRU.builder(8).returnSequences(true).build(),
            GRU.builder(4).goBackwards(true).build()), 3),
        Model.initialized(Sequential.of(InputSpec.sequence(6),
            Bidirectional.of(LSTM.builder(5).returnSequences(true).build()), Dense.of(3)), 4),
        Model.initialized(Sequential.of(InputSpec.sequence(6), LSTM.builder(128).returnSequences(true).build()), 5));
  }

  static void concurrent(ContractContext ctx, int threads, int callsPerThread) throws Exception {
    List<Model> models = stressModels();
    List<PreparedModel> prepared = new ArrayList<>();
    try {
      for (Model m : models) {
        prepared.add(ctx.backend().prepare(m));
      }
      List<Call> calls = new ArrayList<>();
      List<Result> serial = new ArrayList<>();
      for (int i = 0; i < callsPerThread; i++) {
        int batch = i % models.size() == 3 ? 12 : 1 + i % 3;
        Tensor x = RandomData.uniform(100 + i, -1, 1, batch, i % models.size() == 3 ? 20 : 2 + i % 5, 6);
        Call call = i % 2 == 1 ? Call.of(x).withMask(RandomData.mask(200 + i, x.shape()[0], x.shape()[1], 0.7)) : Call.of(x);
        calls.add(call);
        serial.add(prepared.get(i % models.size()).run(call));
      }
      runAll(threads, t -> {
        for (int k = 0; k < callsPerThread; k++) {
          int i = (k + t) % callsPerThread; // each thread in its own order
          Result r = prepared.get(i % models.size()).run(calls.get(i));
          assertSame(serial.get(i), r, "thread " + t + " call " + i);
        }
      });
    } finally {
      prepared.forEach(PreparedModel::close);
    }
  }

  static void concurrentStreams(ContractContext ctx, int threads, int steps) throws Exception {
    try (PreparedModel p = ctx.backend().prepare(small())) {
      List<List<Result>> serial = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        StatefulModel s = StatefulModel.of(p);
        List<Result> rs = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
          rs.add(s.run(RandomData.uniform(300 + 31 * t + k, -1, 1, 1 + t % 2, 1, 6)));
        }
        serial.add(rs);
      }
      runAll(threads, t -> {
        StatefulModel s = StatefulModel.of(p);
        for (int k = 0; k < steps; k++) {
          assertSame(serial.get(t).get(k), s.run(RandomData.uniform(300 + 31 * t + k, -1, 1, 1 + t % 2, 1, 6)), "thread " + t + " step " + k);
        }
      });
    }
  }

  interface PerThread {
    void run(int thread) throws Exception;
  }

  /** Starts all threads together and fails with the first thread's failure. */
  private static void runAll(int threads, PerThread body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          body.run(thread);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertSame(Result expected, Result actual, String what) {
    assertEquals(expected.flat().size(), actual.flat().size(), what);
    for (int k = 0; k < expected.flat().size(); k++) {
      assertEquals(expected.flat().get(k), actual.flat().get(k), what + " tensor " + k);
    }
  }
}

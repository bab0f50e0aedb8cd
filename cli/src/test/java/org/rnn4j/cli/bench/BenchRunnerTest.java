package org.rnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
  /**
   * A clock that only the operation moves (call i takes {@code cost(i)} nanoseconds), and a JIT
   * that compiles for 1 ms during each of the first {@code compilingCalls} calls.
   */
  private static final class FakeOp {
    final IntToLongFunction cost;
    final int compilingCalls;
    long now;
    long jitMillis;
    int calls;

    FakeOp(IntToLongFunction cost, int compilingCalls) {
      this.cost = cost;
      this.compilingCalls = compilingCalls;
    }

    Object call() {
      jitMillis += calls < compilingCalls ? 1 : 0;
      now += cost.applyAsLong(calls++);
      return null;
    }

    BenchRunner runner() {
      return new BenchRunner(1.0, 0.25, 3, () -> now, () -> jitMillis);
    }
  }

  @Test
  void warmUpGoesOnWhileTheJitCompilesAndReturnsTheSettledTimePerCall() {
    // 1 s of warm-up; the first 300 calls take 10 ms while the JIT compiles, then 1 ms each
    FakeOp op = new FakeOp(i -> i < 300 ? 10_000_000L : 1_000_000L, 300);
    double perCall = op.runner().warmUp(op::call);
    assertEquals(1e-3, perCall, 1e-9);
    // 3 s of slow calls, the window in which they end, then one quiet window of 0.25 s
    assertTrue(op.now >= 3_250_000_000L && op.now <= 3_510_000_000L, "warm-up ran " + op.now + " ns");
  }

  @Test
  void warmUpStopsAtItsLimitWhileTheJitNeverSettles() {
    FakeOp op = new FakeOp(i -> 2_000_000L, Integer.MAX_VALUE);
    op.runner().warmUp(op::call);
    long limit = BenchRunner.WARMUP_LIMIT * 1_000_000_000L;
    assertTrue(op.now >= limit && op.now <= limit + 252_000_000L, "warm-up ran " + op.now + " ns");
  }

  @Test
  void warmUpOfSettledCodeTakesTheGivenTimeAndOneQuietWindow() {
    FakeOp op = new FakeOp(i -> 2_000_000L, 0);
    assertEquals(2e-3, op.runner().warmUp(op::call), 1e-9);
    assertEquals(1_250_000_000L, op.now, 2_000_000L);
  }
}

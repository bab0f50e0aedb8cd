package org.rnn4j.reference;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small team of worker threads for one backend: {@link #run} executes a body on up to {@code
 * n} threads at once (the caller is thread 0) and returns when all are done. Workers start on the
 * first run that needs them, so tiny work never spawns a thread. The team serves one call at a
 * time; a call that finds it busy runs on the calling thread alone, so concurrent callers never
 * wait for each other's work.
 */
final class Parallel implements AutoCloseable {
  /** The work of thread {@code thread} of {@code threads}. */
  interface Body {
    void run(int thread, int threads);
  }

  /**
   * How long a thread out of work stays awake, spinning, before it parks: a worker waiting for the
   * next body, the caller waiting for the workers to finish. On a 2-vCPU virtual machine a run of 2
   * threads after a serial stretch of 10, 50 or 200 µs (as between the parts of a gradients call)
   * cost 31, 34 and 57 µs with parked threads, 3.5, 7 and 33 with this spin (the worker starting
   * within about 1 µs instead of 13–42); a worker idle for longer parks and costs nothing.
   */
  static final long SPIN_NANOS = 250_000L;

  private final int threads;
  private final Worker[] workers;
  private final Semaphore team = new Semaphore(1);

  Parallel(int threads) {
    this.threads = Math.max(1, threads);
    this.workers = new Worker[this.threads - 1];
  }

  int threads() {
    return threads;
  }

  /** Runs {@code body} on up to {@code wanted} threads (1 means the caller alone). */
  void run(int wanted, Body body) {
    int n = Math.min(wanted, threads);
    if (n <= 1 || !team.tryAcquire()) {
      body.run(0, 1);
      return;
    }
    try {
      AtomicInteger done = new AtomicInteger();
      Throwable[] failure = new Throwable[1];
      Thread caller = Thread.currentThread();
      for (int t = 1; t < n; t++) {
        int index = t;
        worker(t - 1).submit(() -> {
          try {
            body.run(index, n);
          } catch (Throwable e) {
            synchronized (failure) {
              failure[0] = e;
            }
          } finally {
            done.incrementAndGet();
            LockSupport.unpark(caller);
          }
        });
      }
      try {
        body.run(0, n);
      } finally {
        long until = System.nanoTime() + SPIN_NANOS;
        while (done.get() < n - 1) {
          idle(until, this);
        }
      }
      synchronized (failure) {
        if (failure[0] instanceof RuntimeException r) {
          throw r;
        }
        if (failure[0] instanceof Error err) {
          throw err;
        }
      }
    } finally {
      team.release();
    }
  }

  /** One wait of a thread out of work: a spin until {@code until} ({@link System#nanoTime}), then parking. */
  private static void idle(long until, Object blocker) {
    if (System.nanoTime() < until) {
      Thread.onSpinWait();
    } else {
      LockSupport.park(blocker);
    }
  }

  private synchronized Worker worker(int i) {
    if (workers[i] == null) {
      workers[i] = new Worker("rnn4j-reference-" + (i + 1));
    }
    return workers[i];
  }

  @Override
  public synchronized void close() {
    for (Worker w : workers) {
      if (w != null) {
        w.stop();
      }
    }
  }

  /** One daemon thread that runs the tasks handed to it, one at a time. */
  private static final class Worker implements Runnable {
    private final Thread thread;
    private volatile Runnable task;
    private volatile boolean stopped;

    Worker(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
      thread.start();
    }

    void submit(Runnable r) {
      task = r;
      LockSupport.unpark(thread);
    }

    void stop() {
      stopped = true;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      long until = 0;
      while (!stopped) {
        Runnable r = task;
        if (r == null) {
          idle(until, this);
          continue;
        }
        task = null;
        r.run();
        until = System.nanoTime() + SPIN_NANOS;
      }
    }
  }
}

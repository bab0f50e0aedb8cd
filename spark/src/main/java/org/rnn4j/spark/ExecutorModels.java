package org.rnn4j.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rnn4j.Backend;
import org.rnn4j.BackendOptions;
import org.rnn4j.Backends;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;

/**
 * The models prepared in this JVM (an executor), one per {@link ModelSource#key()}: prepared on
 * first use by any task, shared by every later task and partition (a prepared model serves
 * concurrent calls), closed with their backends when the JVM ends.
 */
public final class ExecutorModels {
  private ExecutorModels() {}

  private record Prepared(Backend backend, PreparedModel model) {}

  private static final Map<String, Prepared> MODELS = new ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicInteger PREPARED = new java.util.concurrent.atomic.AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "rnn4j-close-models"));
  }

  /** The prepared model for {@code source}, preparing it if this JVM has not yet. */
  public static PreparedModel get(ModelSource source) {
    return MODELS.computeIfAbsent(source.key(), k -> prepare(source)).model();
  }

  private static Prepared prepare(ModelSource source) {
    Model model = source.load();
    Backend backend = Backends.open(source.backend(), BackendOptions.of(source.options()));
    try {
      PreparedModel prepared = backend.prepare(model);
      PREPARED.incrementAndGet();
      return new Prepared(backend, prepared);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /** How many models this JVM has prepared (for tests: once per model, not per task). */
  public static int preparedCount() {
    return PREPARED.get();
  }

  /** Closes every prepared model and its backend. */
  static void closeAll() {
    for (String key : MODELS.keySet()) {
      Prepared p = MODELS.remove(key);
      if (p != null) {
        p.model().close();
        p.backend().close();
      }
    }
  }
}

package org.rnn4j.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.keras.KerasModels;

/**
 * An application's prediction service: one Keras model prepared once, on the backend the
 * configuration names, answering any number of concurrent callers. The code names no backend:
 * {@code -Drnn4j.backend=tensorflow} (or the environment variable {@code RNN4J_BACKEND}) switches
 * it; the default is {@code reference}.
 *
 * <pre>{@code
 * java -Drnn4j.backend=tensorflow -cp ... org.rnn4j.examples.PredictionService model.keras 8 100
 * }</pre>
 */
public final class PredictionService implements AutoCloseable {
  /** The system property that names the backend; the environment variable {@link #BACKEND_ENV} is the fallback. */
  public static final String BACKEND_PROPERTY = "rnn4j.backend";
  public static final String BACKEND_ENV = "RNN4J_BACKEND";

  private final Backend backend;
  private final PreparedModel prepared;

  private PredictionService(Backend backend, PreparedModel prepared) {
    this.backend = backend;
    this.prepared = prepared;
  }

  /** The backend the configuration names: the system property, else the environment variable, else {@code reference}. */
  public static String configuredBackend() {
    String name = System.getProperty(BACKEND_PROPERTY);
    if (name == null || name.isBlank()) {
      name = System.getenv(BACKEND_ENV);
    }
    return name == null || name.isBlank() ? "reference" : name.trim();
  }

  /** Loads a Keras model file and prepares it once on the configured backend. */
  public static PredictionService open(Path modelFile) {
    Model model = KerasModels.load(modelFile);
    Backend backend = Backends.open(configuredBackend());
    try {
      return new PredictionService(backend, backend.prepare(model));
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /** The model's output for a batch of inputs; safe to call from many threads at once. */
  public Tensor predict(Tensor input) {
    return prepared.run(input).output();
  }

  /** The backend serving the predictions. */
  public String backendName() {
    return backend.name();
  }

  /** The model's input shape per sample ({@code -1} for an open time axis). */
  public int[] inputShape() {
    return prepared.model().architecture().input().shape();
  }

  @Override
  public void close() {
    prepared.close();
    backend.close();
  }

  /**
   * Serves {@code requests} predictions to each of {@code callers} concurrent threads, each on its
   * own random input, and checks every answer against the one a single caller gets for the same
   * input.
   *
   * @return a one-line summary
   */
  public String serveConcurrently(int callers, int requests) throws Exception {
    int[] shape = inputShape();
    List<Tensor> inputs = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < callers * requests; i++) {
      int[] full = new int[shape.length + 1];
      full[0] = 1;
      for (int d = 0; d < shape.length; d++) {
        full[d + 1] = shape[d] < 0 ? 10 : shape[d];
      }
      int n = 1;
      for (int d : full) {
        n *= d;
      }
      float[] v = new float[n];
      for (int k = 0; k < n; k++) {
        v[k] = (float) (random.nextDouble() * 2 - 1);
      }
      inputs.add(Tensor.of(full, v));
    }
    List<Tensor> serial = new ArrayList<>();
    for (Tensor x : inputs) {
      serial.add(predict(x));
    }
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        done.add(pool.submit(() -> {
          for (int r = 0; r < requests; r++) {
            int i = caller * requests + r;
            if (!java.util.Arrays.equals(predict(inputs.get(i)).toArray(), serial.get(i).toArray())) {
              throw new IllegalStateException("caller " + caller + ", request " + r + ": a concurrent answer differs from the serial one");
            }
          }
          return requests;
        }));
      }
      int served = 0;
      for (Future<Integer> f : done) {
        served += f.get();
      }
      double ms = (System.nanoTime() - start) / 1e6;
      return String.format(java.util.Locale.ROOT, "%s: %d predictions from %d concurrent callers in %.1f ms, each as a single caller gets it",
          backendName(), served, callers, ms);
    } finally {
      pool.shutdown();
    }
  }

  /** {@code PredictionService MODEL.keras [CALLERS] [REQUESTS]}. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: PredictionService MODEL.keras [CALLERS] [REQUESTS]  (backend: -D" + BACKEND_PROPERTY + "=NAME or "
          + BACKEND_ENV + ")");
      System.exit(2);
    }
    int callers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    try (PredictionService service = open(Path.of(args[0]))) {
      System.out.println(service.serveConcurrently(callers, requests));
    }
  }
}

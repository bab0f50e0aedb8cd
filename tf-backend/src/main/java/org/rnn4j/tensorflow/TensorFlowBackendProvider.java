package org.rnn4j.tensorflow;

import java.util.List;
import java.util.Locale;
import org.rnn4j.Backend;
import org.rnn4j.BackendOptions;
import org.rnn4j.BackendUnavailableException;
import org.rnn4j.spi.BackendOption;
import org.rnn4j.spi.BackendProvider;

/**
 * Provides the {@code tensorflow} backend. It is available when TensorFlow Java's native library
 * loads on this platform; otherwise it reports why, and the other backends keep working.
 *
 * <p>Options: {@code lstm_path} = {@code auto} (fused BlockLSTM where it computes Keras' LSTM and
 * is the faster, composite ops elsewhere), {@code fused} or {@code composite}; {@code intra_op_threads} and
 * {@code inter_op_threads}, TensorFlow's thread settings ({@code inter_op_threads=-1}, the default,
 * runs ops in the calling thread, the fastest setting for recurrent graphs here).
 */
public final class TensorFlowBackendProvider implements BackendProvider {
  /** The backend's name. */
  public static final String NAME = "tensorflow";

  static final BackendOption<String> LSTM_PATH =
      BackendOption.choice("lstm_path", "auto (the faster where both compute the layer) | fused (BlockLSTM) | composite (primitive ops)", "auto", "fused", "composite");
  /** The thread count every backend understands: here TensorFlow's threads for one op. */
  static final BackendOption<Integer> THREADS =
      BackendOption.integer("threads", "threads for one op (as intra_op_threads; 0: TensorFlow decides)", () -> 0, 0);
  static final BackendOption<Integer> INTRA_OP_THREADS =
      BackendOption.integer("intra_op_threads", "threads for one op (0: TensorFlow decides)", () -> 0, 0);
  static final BackendOption<Integer> INTER_OP_THREADS =
      BackendOption.integer("inter_op_threads", "threads running ops in parallel (-1: the calling thread)", () -> -1, -1);
  private static final List<BackendOption<?>> OPTIONS = List.of(LSTM_PATH, THREADS, INTRA_OP_THREADS, INTER_OP_THREADS);

  /** Probed once per class loader: loading the native library is process-wide. */
  private static final class Probe {
    static final Availability AVAILABILITY;
    static final String VERSION;

    static {
      Availability a;
      String v;
      try {
        v = TensorFlowRuntime.version();
        a = Availability.yes();
      } catch (Throwable t) {
        // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError, ...
        v = "unknown";
        a = Availability.no("TensorFlow Java could not load on " + System.getProperty("os.name") + " "
            + System.getProperty("os.arch") + ": " + describe(t));
      }
      AVAILABILITY = a;
      VERSION = v;
    }

    private static String describe(Throwable t) {
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String msg = root.getMessage();
      return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg.lines().findFirst().orElse(""));
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "TensorFlow Java graph ops (fused BlockLSTM where it fits)"
        + (availability().available() ? TensorFlowRuntime.memoryCheckNote() : "");
  }

  @Override
  public Availability availability() {
    return Probe.AVAILABILITY;
  }

  @Override
  public String version() {
    return availability().available() ? "TensorFlow " + Probe.VERSION : "unknown";
  }

  @Override
  public List<BackendOption<?>> options() {
    return OPTIONS;
  }

  @Override
  public Backend open(BackendOptions options) {
    if (!availability().available()) {
      throw new BackendUnavailableException("backend '" + NAME + "' is not available: " + availability().reason());
    }
    BackendOption.requireKnown(NAME, options, OPTIONS);
    LstmPath path = LstmPath.valueOf(LSTM_PATH.get(options).toUpperCase(Locale.ROOT));
    if (THREADS.isSet(options) && INTRA_OP_THREADS.isSet(options)) {
      throw new org.rnn4j.InvalidInputException("backend options 'threads' and 'intra_op_threads' name the same setting; give one");
    }
    int intra = THREADS.isSet(options) ? THREADS.get(options) : INTRA_OP_THREADS.get(options);
    return new TensorFlowBackend(path, intra, INTER_OP_THREADS.get(options));
  }
}

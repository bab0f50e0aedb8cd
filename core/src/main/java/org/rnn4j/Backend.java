package org.rnn4j;

import java.util.List;
import org.rnn4j.layers.Architecture;

/**
 * An open execution backend. It prepares models; a prepared model runs calls. Closing a backend
 * closes every model it prepared that is still open.
 *
 * <pre>{@code
 * try (Backend backend = Backends.open("reference");
 *      PreparedModel prepared = backend.prepare(model)) {
 *   Result r = prepared.run(input);
 * }
 * }</pre>
 */
public interface Backend extends AutoCloseable {

  /** The backend's name, as {@link Backends#open(String)} takes it. */
  String name();

  /** The backend's version (for TensorFlow, TensorFlow's own version). */
  String version();

  /**
   * Why this backend cannot run the architecture, one line per unsupported feature; empty when
   * it can.
   */
  List<String> unsupportedFeatures(Architecture architecture);

  /**
   * Prepares a model for repeated calls: converts weights, builds kernels or graphs.
   *
   * @throws UnsupportedFeatureException listing {@link #unsupportedFeatures} if not empty
   */
  PreparedModel prepare(Model model);

  /** Closes the backend and every model it prepared; closing twice is harmless. */
  @Override
  void close();
}

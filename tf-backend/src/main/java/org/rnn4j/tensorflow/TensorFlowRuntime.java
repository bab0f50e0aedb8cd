package org.rnn4j.tensorflow;

import org.tensorflow.TensorFlow;

/**
 * The only place that first touches TensorFlow's classes, so that a missing or unloadable native
 * library surfaces as an error the provider can catch and report.
 */
final class TensorFlowRuntime {
  private TensorFlowRuntime() {}

  /** TensorFlow's version; loads the native library on first use. */
  static String version() {
    return TensorFlow.version();
  }
}

package org.rnn4j.tensorflow;

import org.tensorflow.TensorFlow;

/**
 * The only place that first touches TensorFlow's classes, so that a missing or unloadable native
 * library surfaces as an error the provider can catch and report.
 */
final class TensorFlowRuntime {
  /**
   * JavaCPP, beneath TensorFlow Java, by default measures the process's resident memory on every
   * native allocation to decide whether to run the garbage collector: about half the time of a
   * small run. This backend closes every native tensor it makes, so that safety net is not needed;
   * it is switched off unless the application set the property itself.
   */
  static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

  private TensorFlowRuntime() {}

  /**
   * TensorFlow's version: configures JavaCPP (see {@link #MAX_PHYSICAL_BYTES}) and then loads the
   * native library. The provider calls it once, when the backend's availability is first asked
   * for, before any other TensorFlow class is touched, as JavaCPP reads the property when it loads.
   */
  static String version() {
    if (System.getProperty(MAX_PHYSICAL_BYTES) == null) {
      System.setProperty(MAX_PHYSICAL_BYTES, "0");
    }
    return TensorFlow.version();
  }
}

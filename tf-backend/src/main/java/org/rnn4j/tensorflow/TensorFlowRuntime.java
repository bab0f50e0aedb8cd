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

  /**
   * What the backend's description adds when JavaCPP's check is on — set by the application, or
   * left at its default because JavaCPP loaded before this backend (the application used
   * TensorFlow Java or another JavaCPP library first): a small call then costs several times more
   * (W1a: 36 against 9.6 µs for a plain graph). Empty when the check is off.
   *
   * @param maxPhysicalBytes JavaCPP's limit in force ({@code Pointer.maxPhysicalBytes()}; 0: no check)
   */
  static String memoryCheckNote(long maxPhysicalBytes) {
    return maxPhysicalBytes > 0
        ? "; JavaCPP checks resident memory on every native allocation, which makes small calls several times"
            + " slower: start the JVM with -D" + MAX_PHYSICAL_BYTES + "=0"
        : "";
  }

  /** {@link #memoryCheckNote} for the JavaCPP of this process (after {@link #version}). */
  static String memoryCheckNote() {
    return memoryCheckNote(org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
  }
}

package org.rnn4j.reference;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Chooses the kernels, as Apache Lucene chooses its vectorization provider: the Vector API
 * implementation when the JVM was started with {@code --add-modules jdk.incubator.vector} and has
 * wide enough vectors, plain Java otherwise. No flag is needed for correct results; the one flag
 * unlocks SIMD. {@code -Drnn4j.simd=false} forces plain Java; {@code -Drnn4j.simd.bits=256} holds
 * the Vector API kernels at 256 bits on a CPU with 512-bit vectors (see {@code VectorSimd}).
 */
final class SimdProvider {
  private static final Simd SCALAR = new ScalarSimd();
  private static final Simd BEST = detect();

  private SimdProvider() {}

  /** The best kernels available in this JVM. */
  static Simd best() {
    return BEST;
  }

  /** The plain-Java kernels. */
  static Simd scalar() {
    return SCALAR;
  }

  /** Why the best kernels are what they are, for reports. */
  static String describe() {
    return BEST == SCALAR
        ? "plain Java (start the JVM with --add-modules jdk.incubator.vector for SIMD)"
        : "SIMD (" + BEST.name() + ")";
  }

  private static Simd detect() {
    if (!Boolean.parseBoolean(System.getProperty("rnn4j.simd", "true"))) {
      return SCALAR;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return SCALAR;
    }
    try {
      // Loaded reflectively: the class links against jdk.incubator.vector, which may be absent.
      Class<?> c = Class.forName("org.rnn4j.reference.VectorSimd");
      Simd simd = (Simd) MethodHandles.lookup().findStatic(c, "create", MethodType.methodType(Simd.class)).invoke();
      return simd == null ? SCALAR : simd;
    } catch (Throwable t) {
      return SCALAR;
    }
  }
}

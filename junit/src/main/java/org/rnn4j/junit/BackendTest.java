package org.rnn4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once per rnn4j backend; the test takes the opened {@link org.rnn4j.Backend} as a
 * parameter (closed after the invocation), and each invocation is named after its backend.
 *
 * <pre>{@code
 * @BackendTest
 * void matchesKeras(Backend backend) {
 *   try (PreparedModel p = backend.prepare(model)) {
 *     ParityAssertions.assertMatchesRecorded(keras, p.run(x), Tolerance.FLOAT32, backend.name());
 *   }
 * }
 *
 * @BackendTest(value = {"reference", "tensorflow"}, skipUnavailable = true)
 * void onBoth(Backend backend) { ... }
 * }</pre>
 *
 * <p>Without names, every backend found on the class path runs, and one that cannot work on this
 * machine fails its invocation with the reason. A named backend that is not on the class path or
 * cannot work here fails too, unless {@link #skipUnavailable()} asks to skip it: the invocation is
 * then reported as skipped, with the reason.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(BackendInvocations.class)
public @interface BackendTest {
  /** The backends to run on, by name; empty for every backend found. */
  String[] value() default {};

  /** Skip, with the reason, a backend that cannot run here instead of failing. */
  boolean skipUnavailable() default false;
}

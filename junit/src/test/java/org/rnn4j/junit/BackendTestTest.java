package org.rnn4j.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.rnn4j.Backend;

/**
 * {@link BackendTest} run by JUnit's own engine on a class path that holds only the reference
 * backend: one invocation per backend, a missing backend failed or skipped with the reason.
 */
class BackendTestTest {

  /** Tests run through the engine test kit, not directly (a static nested class). */
  static class Cases {
    @BackendTest
    void everyBackend(Backend backend) {
      if (!backend.name().equals("reference")) {
        throw new AssertionError("only the reference backend is on this class path, got " + backend.name());
      }
    }

    @BackendTest(value = {"reference", "tensorflow"}, skipUnavailable = true)
    void skipsWhatIsMissing(Backend backend) {}

    @BackendTest({"reference", "tensorflow"})
    void failsOnWhatIsMissing(Backend backend) {}
  }

  private static Events run(String method) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectMethod(Cases.class, method, Backend.class.getName()))
        .execute().testEvents();
  }

  @Test
  void runsOncePerBackendFoundNamedAfterIt() {
    run("everyBackend").assertStatistics(s -> s.started(1).succeeded(1))
        .assertThatEvents().haveExactly(1, event(displayName("reference"), finishedSuccessfully()));
  }

  @Test
  void skipsAMissingBackendWithTheReasonWhenAsked() {
    Events events = run("skipsWhatIsMissing");
    events.assertStatistics(s -> s.skipped(1).started(1).succeeded(1));
    events.assertThatEvents().haveExactly(1, event(displayName("tensorflow"),
        skippedWithReason("skipped: unknown backend 'tensorflow' (known: reference)")));
  }

  @Test
  void failsAMissingBackendWithTheReasonOtherwise() {
    Events events = run("failsOnWhatIsMissing");
    events.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    events.assertThatEvents().haveExactly(1, event(displayName("tensorflow"), finishedWithFailure(
        message("unknown backend 'tensorflow' (known: reference) (@BackendTest(skipUnavailable = true) skips it instead)"))));
  }
}

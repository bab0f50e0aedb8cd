package org.rnn4j.junit;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.rnn4j.Backend;
import org.rnn4j.BackendInfo;
import org.rnn4j.BackendUnavailableException;
import org.rnn4j.Backends;

/** The invocations of a {@link BackendTest}: one per backend, each resolving its {@link Backend} parameter. */
final class BackendInvocations implements TestTemplateInvocationContextProvider {

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, BackendTest.class)).isPresent();
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    BackendTest test = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, BackendTest.class)).orElseThrow();
    List<String> names = test.value().length == 0 ? Backends.names() : Arrays.asList(test.value());
    if (names.isEmpty()) {
      throw new AssertionFailedError("@BackendTest: no rnn4j backend on the class path (add rnn4j-reference-backend or rnn4j-tf-backend)");
    }
    return names.stream().map(name -> invocation(name, test.skipUnavailable()));
  }

  private static TestTemplateInvocationContext invocation(String name, boolean skipUnavailable) {
    return new TestTemplateInvocationContext() {
      @Override
      public String getDisplayName(int index) {
        return name;
      }

      @Override
      public List<Extension> getAdditionalExtensions() {
        return List.of(new BackendParameter(name, skipUnavailable));
      }
    };
  }

  /**
   * The invocation's backend: skipped (a disabled invocation, with the reason) or failed before the
   * test runs when it cannot work here; else opened for the {@link Backend} parameter and closed
   * afterwards.
   */
  private record BackendParameter(String name, boolean skipUnavailable)
      implements ExecutionCondition, BeforeEachCallback, ParameterResolver {

    /** Why the backend cannot work here, or null. */
    private String unavailable() {
      try {
        BackendInfo info = Backends.describe(name);
        return info.available() ? null : "backend '" + name + "' is not available: " + info.unavailableReason();
      } catch (BackendUnavailableException e) {
        return e.getMessage();
      }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String why = skipUnavailable ? unavailable() : null;
      return why == null ? ConditionEvaluationResult.enabled("backend '" + name + "' available")
          : ConditionEvaluationResult.disabled("skipped: " + why);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
      String why = unavailable();
      if (why != null) {
        throw new AssertionFailedError(why + " (@BackendTest(skipUnavailable = true) skips it instead)");
      }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == Backend.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      Backend backend = Backends.open(name);
      // closed with the invocation (JUnit closes AutoCloseable values of its store)
      context.getStore(ExtensionContext.Namespace.create(BackendInvocations.class, name)).put("backend", backend);
      return backend;
    }
  }
}

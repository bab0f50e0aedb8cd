package org.rnn4j.testing;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.rnn4j.Backend;

/**
 * The contract every backend passes, written once: a backend module adds one subclass that only
 * says how to open the backend. It runs real Keras golden data, Keras' own unit-test values,
 * randomized parity against an independent float64 oracle, properties, input errors and
 * lifecycle checks, and prints the worst error seen per suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
  private ContractContext ctx;

  /** Opens the backend under test. */
  protected abstract Backend openBackend();

  /** The context of the backend under test, for backend-specific tests in subclasses. */
  protected ContractContext context() {
    return ctx;
  }

  @BeforeAll
  void openBackendUnderTest() {
    ctx = new ContractContext(openBackend());
  }

  @AfterAll
  void closeBackendUnderTest() {
    System.out.print(ctx.report());
    ctx.backend().close();
  }

  @TestFactory
  Stream<DynamicNode> kerasGoldenData() {
    return GoldenSuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> kerasUnitTestValues() {
    return KerasUnitSuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> lstmParityWithFloat64Oracle() {
    return ParitySuite.tests(ctx, ParitySuite.lstmCases(), "LSTM parity vs float64");
  }

  @TestFactory
  Stream<DynamicNode> properties() {
    return PropertySuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> inputErrors() {
    return InputErrorSuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> lifecycle() {
    return LifecycleSuite.tests(ctx);
  }
}

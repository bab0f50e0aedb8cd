package org.rnn4j.testing;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.rnn4j.Backend;
import org.rnn4j.Backends;

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

  /** How the backend under test is named in the report (its name, plus options if any). */
  protected String label(Backend backend) {
    return backend.name();
  }

  /** The context of the backend under test, for backend-specific tests in subclasses. */
  protected ContractContext context() {
    return ctx;
  }

  @BeforeAll
  void openBackendUnderTest() {
    Backend backend = openBackend();
    ctx = new ContractContext(backend, label(backend));
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
  Stream<DynamicNode> kerasFiles() {
    return KerasFilesSuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> functionalGraphsWithFloat64Oracle() {
    return GraphSuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> realKeras3Files() {
    return RealKerasFilesSuite.tests(ctx);
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
  Stream<DynamicNode> familyParityWithFloat64Oracle() {
    return FamilySuite.tests(ctx, FamilySuite.cases(), "recurrent family parity vs float64", 0);
  }

  @TestFactory
  Stream<DynamicNode> activationParityWithFloat64Oracle() {
    return FamilySuite.tests(ctx, FamilySuite.activationCases(), "activations vs float64 (atol 1e-5 + rtol 1e-6; values up to 1e5)", FamilySuite.ACTIVATION_RTOL);
  }

  /**
   * The same random models against the reference backend, when the backend under test is another
   * one and the reference backend is on the class path.
   */
  @TestFactory
  Stream<DynamicNode> parityWithReferenceBackend() {
    if (ctx.backend().name().equals("reference") || !Backends.availableNames().contains("reference")) {
      return Stream.empty();
    }
    Backend reference = Backends.open("reference");
    return Stream.of(
        DynamicContainer.dynamicContainer("LSTM", ParitySuite.against(ctx, reference, ParitySuite.lstmCases(), "LSTM parity vs reference backend")),
        FamilySuite.against(ctx, reference, FamilySuite.cases(), "recurrent family parity vs reference backend", 0),
        FamilySuite.against(ctx, reference, FamilySuite.activationCases(), "activations vs reference backend", FamilySuite.ACTIVATION_RTOL),
        GraphSuite.against(ctx, reference),
        GradientSuite.against(ctx, reference),
        TrainingSuite.against(ctx, reference),
        DynamicTest.dynamicTest("close the reference backend", reference::close));
  }

  @TestFactory
  Stream<DynamicNode> gradientsWithFloat64FiniteDifferences() {
    return GradientSuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> trainingWithFloat64Oracle() {
    return TrainingSuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> properties() {
    return PropertySuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> edgeValues() {
    return EdgeValueSuite.tests(ctx);
  }

  @TestFactory
  Stream<DynamicNode> streaming() {
    return StreamingSuite.tests(ctx);
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

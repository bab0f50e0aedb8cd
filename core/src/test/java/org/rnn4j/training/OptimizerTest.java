package org.rnn4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Tensor;

/**
 * The optimizers and schedules against the values recorded in Keras 3's own unit tests
 * ({@code keras/src/optimizers/*_test.py}), at the precision Keras recorded them (4 decimals:
 * Keras' own tolerance there, 5e-4; its single-step values at 1e-4), and exact arithmetic cases
 * worked by hand.
 */
class OptimizerTest {

  private static float[] run(Optimizer o, float[] start, float[]... grads) {
    OptimizerState s = o.start(List.of(Tensor.of(start)), new boolean[] {true});
    for (float[] g : grads) {
      s.apply(List.of(Tensor.of(g)));
    }
    return s.weights().get(0).toArray();
  }

  private static void assertClose(double[] want, float[] got, double tol) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol + tol * Math.abs(want[i]), "element " + i);
    }
  }

  private static final float[] GRADS = {1f, 6f, 7f, 2f};
  private static final float[] VARS = {1f, 2f, 3f, 4f};

  @Test
  void singleStepsAsKerasRecordedThem() {
    assertClose(new double[] {0.5, -1.0, -0.5, 3.0}, run(Optimizer.sgd().withLearningRate(0.5), VARS, GRADS), 1e-4);
    assertClose(new double[] {0.5, 1.5, 2.5, 3.5}, run(Optimizer.adam().withLearningRate(0.5), VARS, GRADS), 1e-4);
    assertClose(new double[] {0.4980, 1.4960, 2.494, 3.492}, run(Optimizer.adamW().withLearningRate(0.5), VARS, GRADS), 1e-4);
    assertClose(new double[] {-0.5811, 0.4189, 1.4189, 2.4189}, run(Optimizer.rmsprop().withLearningRate(0.5), VARS, GRADS), 1e-4);
    assertClose(new double[] {0.5233, 1.5007, 2.5005, 3.5061}, run(Optimizer.adagrad().withLearningRate(0.5), VARS, GRADS), 1e-4);
  }

  @Test
  void weightDecayAsKerasRecordedIt() {
    // three optimizers, each decaying the variable once with a zero gradient: 2 · (1 − 0.004)³
    for (Optimizer o : List.of(Optimizer.sgd(), Optimizer.adam(), Optimizer.adamW(), Optimizer.rmsprop(), Optimizer.adagrad())) {
      float[] v = {2f};
      for (int i = 0; i < 3; i++) {
        v = run(o.withLearningRate(1.0).withWeightDecay(0.004), v, new float[] {0f});
      }
      assertEquals(1.9760959, v[0], 1e-6, o.kind() + " weight decay");
    }
  }

  /** Keras' {@code test_correctness_with_golden}: a first step with 0.01, then steps with 0.1, 0.2, ..., 1.0. */
  private static void golden(Optimizer o, double[][] golden) {
    float[] grads = new float[10];
    for (int i = 0; i < 10; i++) {
      grads[i] = (float) (0.1 * (i + 1));
    }
    float[] first = new float[10];
    java.util.Arrays.fill(first, 0.01f);
    float[] x = new float[10];
    java.util.Arrays.fill(x, 1f);
    OptimizerState s = o.start(List.of(Tensor.of(x)), new boolean[] {true});
    s.apply(List.of(Tensor.of(first)));
    for (double[] row : golden) {
      double[] want = row.length == 1 ? filled(row[0]) : row;
      assertClose(want, s.weights().get(0).toArray(), 5e-4);
      s.apply(List.of(Tensor.of(grads)));
    }
  }

  private static double[] filled(double v) {
    double[] d = new double[10];
    java.util.Arrays.fill(d, v);
    return d;
  }

  @Test
  void goldenSequencesAsKerasRecordedThem() {
    golden(Optimizer.sgd().withNesterov(true), new double[][] {
        {0.9999},
        {0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899},
        {0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799},
        {0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699},
        {0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599}});
    golden(Optimizer.adam().withAmsgrad(true), new double[][] {{0.999}, {0.9982}, {0.9974}, {0.9965}, {0.9955}});
    golden(Optimizer.rmsprop().withCentered(true), new double[][] {{0.9967}, {0.9933}, {0.9908}, {0.9885}, {0.9864}});
    golden(Optimizer.adagrad().withLearningRate(0.2).withInitialAccumulator(0.3).withEpsilon(1e-6), new double[][] {
        {0.9963},
        {0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209},
        {0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891},
        {0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579},
        {0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825}});
    golden(Optimizer.adamW().withLearningRate(1.0).withWeightDecay(0.5).withEpsilon(2), new double[][] {
        {0.4998},
        {0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382},
        {0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003},
        {0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258},
        {0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159}});
  }

  @Test
  void clippingAsKerasDefinesIt() {
    float h = (float) (Math.sqrt(2) / 2);
    // clipnorm 1 on (100, 100) gives (√2/2, √2/2); clipvalue 1 gives (1, 1): with SGD(lr 1) from 0 the step is −g
    assertClose(new double[] {-h, -h}, run(Optimizer.sgd().withLearningRate(1).withClipnorm(1), new float[2], new float[] {100, 100}), 1e-7);
    assertClose(new double[] {-1, -1}, run(Optimizer.sgd().withLearningRate(1).withClipvalue(1), new float[2], new float[] {100, 100}), 1e-7);
    // the global norm of (3, 4) and (12) is 13: clipped to 1.3 everything scales by 0.1
    OptimizerState s = Optimizer.sgd().withLearningRate(1).withGlobalClipnorm(1.3)
        .start(List.of(Tensor.of(0f, 0f), Tensor.of(0f)), new boolean[] {true, true});
    s.apply(List.of(Tensor.of(3f, 4f), Tensor.of(12f)));
    assertClose(new double[] {-0.3, -0.4}, s.weights().get(0).toArray(), 1e-7);
    assertClose(new double[] {-1.2}, s.weights().get(1).toArray(), 1e-7);
    // a norm under the bound changes nothing
    assertClose(new double[] {-0.3}, run(Optimizer.sgd().withLearningRate(1).withClipnorm(1), new float[1], new float[] {0.3f}), 1e-7);
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd().withClipnorm(1).withClipvalue(1));
  }

  @Test
  void nonTrainableWeightsStay() {
    OptimizerState s = Optimizer.adam().start(List.of(Tensor.of(1f), Tensor.of(2f)), new boolean[] {true, false});
    s.apply(List.of(Tensor.of(1f), Tensor.of(1f)));
    assertEquals(2f, s.weights().get(1).getFlat(0));
    assertEquals(1, s.iterations());
  }

  @Test
  void schedulesAsKerasTestsThem() {
    assertEquals(0.05 * Math.pow(0.96, 0.5), LearningRate.exponentialDecay(0.05, 10, 0.96, false).at(5), 1e-6);
    LearningRate stairs = LearningRate.exponentialDecay(0.1, 3, 0.96, true);
    assertEquals(0.1, stairs.at(1), 1e-6);
    assertEquals(0.1, stairs.at(2), 1e-6);
    assertEquals(0.1 * Math.pow(0.96, 100 / 3), stairs.at(100), 1e-6);
    for (int step = 0; step < 1500; step += 250) {
      double fraction = Math.min(step, 1000) / 1000.0;
      double decay = 0.5 * (1 + Math.cos(Math.PI * fraction));
      assertEquals(decay, LearningRate.cosineDecay(1.0, 1000, 0).at(step), 1e-6);
      assertEquals(0.9 * decay + 0.1, LearningRate.cosineDecay(1.0, 1000, 0.1).at(step), 1e-6);
    }
    for (int step = 0; step < 3000; step += 250) {
      double want = step < 2000 ? step / 2000.0 * 10 : 10 * 0.5 * (1 + Math.cos(Math.PI * Math.min(step - 2000, 1000) / 1000.0));
      assertEquals(want, LearningRate.cosineDecay(0, 1000, 0, 10, 2000).at(step), 1e-5);
    }
  }

  @Test
  void parametersAnOptimizerDoesNotHaveAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam().withMomentum(0.9));
    assertEquals("adam has no parameter momentum", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizer.named("lamb"));
    assertEquals(Optimizer.Kind.RMSPROP, Optimizer.named("RMSprop").kind());
  }
}

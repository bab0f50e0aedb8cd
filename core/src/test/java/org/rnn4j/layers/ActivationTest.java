package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.InvalidModelException;

class ActivationTest {
  @Test
  void hardSigmoidFollowsTheKerasVersionThatWroteTheModel() {
    assertEquals(Activation.HARD_SIGMOID, Activation.fromKeras("hard_sigmoid", 2));
    assertEquals(Activation.HARD_SIGMOID, Activation.fromKeras("hard_sigmoid", 1));
    assertEquals(Activation.HARD_SIGMOID_KERAS3, Activation.fromKeras("hard_sigmoid", 3));
    // Keras 2: clip(0.2 x + 0.5, 0, 1); Keras 3: clip(x / 6 + 0.5, 0, 1)
    assertEquals(0.9f, Activation.HARD_SIGMOID.apply(2f), 1e-7);
    assertEquals(0.8333333f, Activation.HARD_SIGMOID_KERAS3.apply(2f), 1e-7);
    assertEquals(1f, Activation.HARD_SIGMOID.apply(2.5f));
    assertEquals(0.9166667f, Activation.HARD_SIGMOID_KERAS3.apply(2.5f), 1e-7);
    assertEquals(0f, Activation.HARD_SIGMOID_KERAS3.apply(-3f));
  }

  @Test
  void matchesReferenceValues() {
    // The closed forms evaluated with Python's math module (math.erf, math.log1p, ...).
    assertEquals(0.8413447460685429, Activation.GELU.applyExact(1.0), 1e-15);
    assertEquals(-0.04550026389635842, Activation.GELU.applyExact(-2.0), 1e-15);
    assertEquals(0.8650983882673103, Activation.MISH.applyExact(1.0), 1e-15);
    assertEquals(1.0507009873554805, Activation.SELU.applyExact(1.0), 1e-15);
    assertEquals(-1.1113307378125625, Activation.SELU.applyExact(-1.0), 1e-15);
    assertEquals(1.3132616875182228, Activation.SOFTPLUS.applyExact(1.0), 1e-15);
    assertEquals(0.7310585786300049, Activation.SILU.applyExact(1.0), 1e-15);
    assertEquals(0.6666666666666666, Activation.HARD_SILU.applyExact(1.0), 1e-15);
    assertEquals(-0.4, Activation.LEAKY_RELU.applyExact(-2.0), 1e-15);
    assertEquals(6.0, Activation.RELU6.applyExact(7.5), 0);
    assertEquals(-0.5, Activation.SOFTSIGN.applyExact(-1.0), 1e-15);
    assertEquals(-0.6321205588285577, Activation.ELU.applyExact(-1.0), 1e-15);
  }

  @Test
  void rowActivationsMatchValuesComputedWithNumPy() {
    // np.exp(x - x.max()) / np.exp(x - x.max()).sum() and friends, x = [1, 2, 3, -1] in float64
    float[] x = {1f, 2f, 3f, -1f};
    float[] y = new float[8];
    Activation.SOFTMAX.applyRow(x, 0, 4, y, 0);
    assertArrayEquals(new float[] {0.08894682f, 0.24178252f, 0.65723302f, 0.01203764f}, java.util.Arrays.copyOf(y, 4), 1e-7f);
    Activation.LOG_SOFTMAX.applyRow(x, 0, 4, y, 0);
    assertArrayEquals(new float[] {-2.41971665f, -1.41971665f, -0.41971665f, -4.41971665f}, java.util.Arrays.copyOf(y, 4), 1e-6f);
    // sparsemax([1, 2, 3, -1]): tau = 2, so [0, 0, 1, 0]; of [0.1, 0.2, 0.15]: tau = (0.2 + 0.15 + 0.1 - 1) / 3 < 0.1 -> all kept
    Activation.SPARSEMAX.applyRow(x, 0, 4, y, 0);
    assertArrayEquals(new float[] {0f, 0f, 1f, 0f}, java.util.Arrays.copyOf(y, 4), 0f);
    Activation.SPARSEMAX.applyRow(new float[] {0.1f, 0.2f, 0.15f}, 0, 3, y, 0);
    assertArrayEquals(new float[] {0.28333333f, 0.38333333f, 0.33333333f}, java.util.Arrays.copyOf(y, 3), 1e-7f);
    Activation.CRELU.applyRow(x, 0, 4, y, 0);
    assertArrayEquals(new float[] {1f, 2f, 3f, 0f, 0f, 0f, 0f, 1f}, y, 0f);
    Activation.GLU.applyRow(x, 0, 4, y, 0);
    // [1, 2] * sigmoid([3, -1])
    assertArrayEquals(new float[] {0.95257413f, 0.53788284f}, java.util.Arrays.copyOf(y, 2), 1e-7f);
    assertEquals(8, Activation.CRELU.outputWidth(4));
    assertEquals(2, Activation.GLU.outputWidth(4));
    assertThrows(InvalidModelException.class, () -> Activation.GLU.outputWidth(5));
    assertThrows(IllegalStateException.class, () -> Activation.SOFTMAX.applyExact(1.0));
  }

  @Test
  void saturatesWithoutNaN() {
    assertEquals(0f, Activation.SIGMOID.apply(-1e4f));
    assertEquals(1f, Activation.SIGMOID.apply(1e4f));
    assertEquals(1f, Activation.TANH.apply(1e30f));
    assertEquals(1e30f, Activation.SOFTPLUS.apply(1e30f));
    assertEquals(0f, Activation.SOFTPLUS.apply(-1e30f));
    assertEquals(-0f, Activation.GELU.apply(-1e30f), 0f);
    assertTrue(Float.isNaN(Activation.TANH.apply(Float.NaN)));
    assertTrue(Float.isNaN(Activation.RELU.apply(Float.NaN)));
  }

  @Test
  void refusesUnknownActivationsByName() {
    InvalidModelException e = assertThrows(InvalidModelException.class, () -> Activation.fromKeras("swishy", 3));
    assertTrue(e.getMessage().contains("'swishy'") && e.getMessage().contains("tanh"), e.getMessage());
    e = assertThrows(InvalidModelException.class, () -> Activation.fromKeras("threshold", 3));
    assertTrue(e.getMessage().contains("needs its threshold and default_value"), e.getMessage());
    assertEquals(Activation.SOFTMAX, Activation.fromKeras("softmax", 3));
    assertEquals(Activation.HARD_SILU, Activation.fromKeras("hard_swish", 3));
    assertEquals(Activation.SILU, Activation.fromKeras("swish", 2));
    assertEquals(Activation.LINEAR, Activation.fromKeras(null, 2));
  }
}

package org.rnn4j.layers;

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
    InvalidModelException e = assertThrows(InvalidModelException.class, () -> Activation.fromKeras("softmax", 3));
    assertTrue(e.getMessage().contains("'softmax'") && e.getMessage().contains("tanh"), e.getMessage());
    assertEquals(Activation.SILU, Activation.fromKeras("swish", 2));
    assertEquals(Activation.LINEAR, Activation.fromKeras(null, 2));
  }
}

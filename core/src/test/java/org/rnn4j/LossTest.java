package org.rnn4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Keras 3's losses: the values its documentation records (three decimals, so atol 1e-3), and the
 * gradient of each loss against central differences of its value in float64.
 */
class LossTest {
  private static final double KERAS_DOC_ATOL = 1e-3;

  private static double value(String name, boolean logits, float[][] yTrue, float[][] yPred) {
    return Loss.of(name, logits).evaluate(Tensor.of(yPred), Tensor.of(yTrue), null).value();
  }

  @Test
  void valuesFromKerasDocumentation() {
    float[][] t = {{0, 1}, {0, 0}};
    assertEquals(0.5, value("mse", false, t, new float[][] {{1, 1}, {1, 0}}), KERAS_DOC_ATOL);
    assertEquals(0.5, value("mae", false, t, new float[][] {{1, 1}, {1, 0}}), KERAS_DOC_ATOL);
    assertEquals(0.815, value("binary_crossentropy", false, t, new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}}), KERAS_DOC_ATOL);
    assertEquals(0.865, value("binary_crossentropy", true, new float[][] {{0, 1, 0, 0}}, new float[][] {{-18.6f, 0.51f, 2.94f, -12.8f}}),
        KERAS_DOC_ATOL);
    float[][] probabilities = {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}};
    assertEquals(1.177, value("categorical_crossentropy", false, new float[][] {{0, 1, 0}, {0, 0, 1}}, probabilities), KERAS_DOC_ATOL);
    double sparse = Loss.of("sparse_categorical_crossentropy", false)
        .evaluate(Tensor.of(probabilities), Tensor.of(1f, 2f), null).value();
    assertEquals(1.177, sparse, KERAS_DOC_ATOL);
  }

  @Test
  void categoricalCrossentropyOfKerasBackendDocumentationPerRow() {
    // keras.backend categorical_crossentropy example rows: [0.10536, 0.11653, 0.06188] (five decimals)
    float[][] onehot = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    float[][] p = {{.9f, .05f, .05f}, {.05f, .89f, .06f}, {.05f, .01f, .94f}};
    assertEquals((0.10536 + 0.11653 + 0.06188) / 3, value("categorical_crossentropy", false, onehot, p), 1e-5);
  }

  @Test
  void maskedRowsAreWeightedAsKerasDoes() {
    Tensor pred = Tensor.of(new float[][][] {{{1}, {2}, {3}}});
    Tensor target = Tensor.zeros(1, 3, 1);
    Tensor mask = Tensor.of(new float[][] {{1, 0, 1}});
    Loss.Evaluation e = Loss.of("mse", false).evaluate(pred, target, mask);
    assertEquals((1 + 9) / (2 + 1e-7), e.value(), 1e-12);
    assertEquals(0f, e.gradient().getFlat(1));
  }

  @Test
  void gradientsMatchCentralDifferences() {
    float[][] logits = {{0.3f, -1.2f, 2.0f}, {-0.4f, 0.1f, 0.7f}};
    float[][] probabilities = {{0.2f, 0.5f, 0.3f}, {0.6f, 0.1f, 0.3f}};
    check(Loss.of("mse", false), logits, Tensor.of(new float[][] {{1, 0, -1}, {0.5f, 0.5f, 0}}));
    check(Loss.of("mae", false), logits, Tensor.of(new float[][] {{1, 0, -1}, {0.5f, 0.5f, 0}}));
    check(Loss.of("binary_crossentropy", true), logits, Tensor.of(new float[][] {{1, 0, 0.3f}, {0, 1, 0.5f}}));
    check(Loss.of("binary_crossentropy", false), probabilities, Tensor.of(new float[][] {{1, 0, 0.3f}, {0, 1, 0.5f}}));
    check(Loss.of("categorical_crossentropy", true), logits, Tensor.of(new float[][] {{0, 0, 1}, {0.2f, 0.8f, 0}}));
    check(Loss.of("categorical_crossentropy", false), probabilities, Tensor.of(new float[][] {{0, 0, 1}, {0.2f, 0.8f, 0}}));
    check(Loss.of("sparse_categorical_crossentropy", true), logits, Tensor.of(2f, 0f));
    check(Loss.of("sparse_categorical_crossentropy", false), probabilities, Tensor.of(2f, 0f));
  }

  private static void check(Loss loss, float[][] at, Tensor target) {
    Tensor p = Tensor.of(at);
    Tensor g = loss.evaluate(p, target, null).gradient();
    float[] x = p.toArray();
    for (int i = 0; i < x.length; i++) {
      float v = x[i];
      float up = v + 1e-4f;
      float down = v - 1e-4f;
      x[i] = up;
      double fUp = loss.evaluate(Tensor.of(p.shape(), x.clone()), target, null).value();
      x[i] = down;
      double fDown = loss.evaluate(Tensor.of(p.shape(), x.clone()), target, null).value();
      x[i] = v;
      assertEquals((fUp - fDown) / ((double) up - down), g.getFlat(i), 1e-5, loss + " element " + i);
    }
  }

  @Test
  void namesAndRefusals() {
    assertEquals(Loss.Kind.MEAN_SQUARED_ERROR, Loss.of("MSE", false).kind());
    assertEquals("from_logits applies to the crossentropy losses, not to mean_absolute_error",
        assertThrows(IllegalArgumentException.class, () -> Loss.of("mae", true)).getMessage());
    assertEquals("unknown loss 'hinge'; expected one of mse, mae, binary_crossentropy, categorical_crossentropy, "
        + "sparse_categorical_crossentropy", assertThrows(IllegalArgumentException.class, () -> Loss.of("hinge", false)).getMessage());
  }
}

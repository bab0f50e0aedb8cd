package org.rnn4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {
  @Test
  void buildsFromJavaArraysInRowMajorOrder() {
    Tensor t = Tensor.of(new float[][][] {{{1, 2}, {3, 4}, {5, 6}}});
    assertArrayEquals(new int[] {1, 3, 2}, t.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toArray());
    assertEquals(4f, t.get(0, 1, 1));
    assertEquals(2, t.dim(-1));
    assertArrayEquals(new float[][][] {{{1, 2}, {3, 4}, {5, 6}}}, t.toCube());
  }

  @Test
  void isImmutable() {
    float[] data = {1, 2, 3};
    Tensor t = Tensor.of(new int[] {3}, data);
    data[0] = 99;
    t.toArray()[1] = 99;
    int[] shape = t.shape();
    shape[0] = 7;
    assertArrayEquals(new float[] {1, 2, 3}, t.toArray());
    assertArrayEquals(new int[] {3}, t.shape());
    assertTrue(t.buffer().isReadOnly());
  }

  @Test
  void refusesRaggedArraysAndWrongLengths() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}));
    assertTrue(e.getMessage().contains("row 1 has length 1, expected 2"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> Tensor.of(new int[] {2, 3}, new float[5]));
    assertTrue(e.getMessage().contains("(2, 3) needs 6 elements, got 5"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> Tensor.zeros(-1, 3).size());
    assertThrows(InvalidInputException.class, () -> Tensor.zeros(1 << 16, 1 << 16));
  }

  @Test
  void comparesByValueAndPrintsLikeNumpy() {
    Tensor a = Tensor.of(new float[][] {{0.5f, -1f}, {2f, 1e-6f}});
    assertEquals(a, Tensor.of(new float[][] {{0.5f, -1f}, {2f, 1e-6f}}));
    assertNotEquals(a, a.reshape(4));
    assertEquals("[[0.5, -1.0],\n [2.0, 1.0000000e-06]]", a.toString());
    assertEquals("(2, 3, 5)", Shapes.format(2, 3, 5));
    assertEquals("(4,)", Shapes.format(4));
  }

  @Test
  void diffsCountUlpsAndHonourNanAndTolerance() {
    Tensor e = Tensor.of(1f, Float.NaN, Float.POSITIVE_INFINITY, 0f);
    Tensor a = Tensor.of(Math.nextUp(1f), Float.NaN, Float.POSITIVE_INFINITY, -0f);
    TensorDiff d = TensorDiff.of(e, a, 2e-7, 0);
    assertEquals(1, d.maxUlp());
    assertTrue(d.withinTolerance());
    TensorDiff bad = TensorDiff.of(e, Tensor.of(1f, 0f, Float.POSITIVE_INFINITY, 0f), 1, 0);
    assertEquals(Double.POSITIVE_INFINITY, bad.maxAbs());
    assertEquals(1, bad.worstIndex());
    assertTrue(!bad.withinTolerance());
  }

  @Test
  void masksComeFromBooleansOrTensors() {
    Mask m = Mask.of(new boolean[][] {{true, false, true}});
    assertTrue(m.isValid(0, 2));
    assertTrue(!m.isValid(0, 1));
    assertEquals(m, Mask.fromTensor(m.toTensor()));
    assertEquals("Mask(1, 3)[101]", m.toString());
  }
}

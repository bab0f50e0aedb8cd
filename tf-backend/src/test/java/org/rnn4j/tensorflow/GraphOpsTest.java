package org.rnn4j.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class GraphOpsTest {
  /** TensorFlow loaded as the backend loads it (JavaCPP's memory check off), whichever test class runs first. */
  @org.junit.jupiter.api.BeforeAll
  static void loadTensorFlowAsTheBackendDoes() {
    TensorFlowRuntime.version();
  }

  /** {@code g.transpose} against TensorFlow's Transpose on the same values, and which op it built. */
  private static void assertTransposes(int[] shape, int[] perm, String expectedOp) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      GraphOps g = new GraphOps(tf, false);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(GraphOps.shape(shape)));
      Operand<TFloat32> ours = g.transpose(x, perm);
      Operand<TFloat32> theirs = tf.linalg.transpose(x, g.ints(perm));
      assertEquals(expectedOp, ours.op().type(), java.util.Arrays.toString(shape) + " by " + java.util.Arrays.toString(perm));
      float[] values = new float[org.rnn4j.Shapes.elementCount(shape)];
      for (int i = 0; i < values.length; i++) {
        values[i] = i + 1;
      }
      try (Session session = new Session(graph);
          TFloat32 in = TFloat32.tensorOf(GraphOps.shape(shape), DataBuffers.of(values, true, false));
          Result r = session.runner().feed(x, in).fetch(ours).fetch(theirs).run()) {
        assertArrayEquals(((TFloat32) r.get(1)).shape().asArray(), ((TFloat32) r.get(0)).shape().asArray());
        assertArrayEquals(GraphPlan.values((TFloat32) r.get(1)), GraphPlan.values((TFloat32) r.get(0)));
      }
    }
  }

  @Test
  void transposesThatMoveOnlyAxesOfLengthOneAreReshapes() {
    assertTransposes(new int[] {1, 3, 4}, new int[] {1, 0, 2}, "Reshape");
    assertTransposes(new int[] {3, 1, 4}, new int[] {1, 0, 2}, "Reshape");
    assertTransposes(new int[] {2, 1, 3}, new int[] {0, 2, 1}, "Reshape");
    assertTransposes(new int[] {1, 1, 5}, new int[] {1, 0, 2}, "Reshape");
    assertTransposes(new int[] {2, 3, 4}, new int[] {1, 0, 2}, "Transpose");
    assertTransposes(new int[] {2, 3, 1}, new int[] {2, 1, 0}, "Transpose");
    assertTransposes(new int[] {1, 3, 4}, new int[] {0, 2, 1}, "Transpose");
  }

  @Test
  void theElementOfAnAxisOfLengthOneIsAReshape() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      GraphOps g = new GraphOps(tf, false);
      Placeholder<TFloat32> one = tf.placeholder(TFloat32.class, Placeholder.shape(GraphOps.shape(1, 2, 3)));
      Placeholder<TFloat32> two = tf.placeholder(TFloat32.class, Placeholder.shape(GraphOps.shape(2, 2, 3)));
      Operand<TFloat32> a = g.at(one, 0);
      Operand<TFloat32> b = g.at(two, 1);
      assertEquals("Reshape", a.op().type());
      assertEquals("GatherV2", b.op().type());
      assertEquals("GatherV2", g.at(one, 1).op().type(), "an index past the axis stays a gather, which fails when run");
      float[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
      try (Session session = new Session(graph);
          TFloat32 x1 = TFloat32.tensorOf(GraphOps.shape(1, 2, 3), DataBuffers.of(java.util.Arrays.copyOf(values, 6), true, false));
          TFloat32 x2 = TFloat32.tensorOf(GraphOps.shape(2, 2, 3), DataBuffers.of(values, true, false));
          Result r = session.runner().feed(one, x1).feed(two, x2).fetch(a).fetch(b).run()) {
        assertArrayEquals(new long[] {2, 3}, ((TFloat32) r.get(0)).shape().asArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, GraphPlan.values((TFloat32) r.get(0)));
        assertArrayEquals(new float[] {7, 8, 9, 10, 11, 12}, GraphPlan.values((TFloat32) r.get(1)));
      }
    }
  }
}

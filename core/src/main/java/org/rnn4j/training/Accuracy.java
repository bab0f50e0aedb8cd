package org.rnn4j.training;

import org.rnn4j.Loss;
import org.rnn4j.Tensor;
import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Masking;

/**
 * Keras' {@code metrics=["accuracy"]}, resolved as Keras 3 resolves the name from the shapes:
 * binary accuracy (prediction above 0.5 equals the target) for an output of one unit, sparse
 * categorical accuracy (arg-max equals the class id) for class-id targets, categorical accuracy
 * (arg-max of prediction equals arg-max of target) otherwise. Each position along the axes
 * before the last counts once; the epoch's value is their mean.
 */
final class Accuracy {
  private enum Kind { BINARY, SPARSE, CATEGORICAL }

  private final Kind kind;

  private Accuracy(Kind kind) {
    this.kind = kind;
  }

  static Accuracy of(Architecture arch, Loss loss) {
    int[] out = arch.outputShapes().get(0);
    if (out.length > 1 && hasMaskSource(arch)) {
      // Keras weights a sequence output's metric by its mask, which a gradient step does not report
      throw new UnsupportedFeatureException(
          "accuracy over a sequence output of a model with masks (Masking or Embedding mask_zero) is not supported");
    }
    boolean sparseTarget = loss.kind() == Loss.Kind.SPARSE_CATEGORICAL_CROSSENTROPY;
    int units = out[out.length - 1];
    return new Accuracy(units == 1 ? Kind.BINARY : sparseTarget ? Kind.SPARSE : Kind.CATEGORICAL);
  }

  private static boolean hasMaskSource(Architecture arch) {
    return arch.layers().stream().anyMatch(l -> l instanceof Masking || (l instanceof Embedding e && e.maskZero()));
  }

  /** Adds a batch's matches to the running mean {@code name}. */
  void add(Trainer.Means means, String name, Tensor prediction, Tensor target) {
    int width = prediction.dim(-1);
    int positions = prediction.size() / width;
    float[] p = prediction.toArray();
    float[] y = target.toArray();
    int hits = 0;
    for (int i = 0; i < positions; i++) {
      boolean hit = switch (kind) {
        case BINARY -> (p[i] > 0.5f ? 1f : 0f) == y[i];
        case SPARSE -> argMax(p, i * width, width) == (int) y[i];
        case CATEGORICAL -> argMax(p, i * width, width) == argMax(y, i * width, width);
      };
      hits += hit ? 1 : 0;
    }
    means.addSum(name, hits, positions);
  }

  private static int argMax(float[] v, int off, int n) {
    int best = 0;
    for (int k = 1; k < n; k++) {
      if (v[off + k] > v[off + best]) {
        best = k;
      }
    }
    return best;
  }
}

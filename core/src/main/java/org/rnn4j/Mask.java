package org.rnn4j;

import java.util.Arrays;
import java.util.BitSet;

/**
 * An immutable per-step mask of shape {@code (batch, time)}, as Keras passes to a recurrent layer:
 * {@code true} means the step is valid and is processed, {@code false} means it is masked. At a
 * masked step a recurrent layer carries its states unchanged and repeats its previous output (or
 * gives zeros with {@code zero_output_for_mask}).
 */
public final class Mask {
  private final int batch;
  private final int steps;
  private final BitSet valid;

  private Mask(int batch, int steps, BitSet valid) {
    this.batch = batch;
    this.steps = steps;
    this.valid = valid;
  }

  /** A mask from {@code valid[b][t]}; rows must have equal lengths. */
  public static Mask of(boolean[][] valid) {
    int b = valid.length;
    int t = b == 0 ? 0 : valid[0].length;
    BitSet bits = new BitSet(b * t);
    for (int i = 0; i < b; i++) {
      if (valid[i].length != t) {
        throw new InvalidInputException(
            "ragged mask: row " + i + " has " + valid[i].length + " steps, expected " + t);
      }
      for (int j = 0; j < t; j++) {
        if (valid[i][j]) {
          bits.set(i * t + j);
        }
      }
    }
    return new Mask(b, t, bits);
  }

  /** A mask from a {@code (batch, time)} tensor: non-zero elements are valid steps. */
  public static Mask fromTensor(Tensor t) {
    if (t.rank() != 2) {
      throw new InvalidInputException(
          "a mask must have shape (batch, time), got " + Shapes.format(t.shape()));
    }
    BitSet bits = new BitSet(t.size());
    for (int i = 0; i < t.size(); i++) {
      if (t.getFlat(i) != 0f) {
        bits.set(i);
      }
    }
    return new Mask(t.dim(0), t.dim(1), bits);
  }

  /** A mask with every step valid. */
  public static Mask allValid(int batch, int steps) {
    BitSet bits = new BitSet(batch * steps);
    bits.set(0, batch * steps);
    return new Mask(batch, steps, bits);
  }

  public int batch() {
    return batch;
  }

  public int steps() {
    return steps;
  }

  /** Whether step {@code t} of batch row {@code b} is valid (processed). */
  public boolean isValid(int b, int t) {
    if (b < 0 || b >= batch || t < 0 || t >= steps) {
      throw new IndexOutOfBoundsException("(" + b + ", " + t + ") outside mask " + shapeString());
    }
    return valid.get(b * steps + t);
  }

  /** The mask as a {@code (batch, time)} tensor of ones (valid) and zeros (masked). */
  public Tensor toTensor() {
    float[] d = new float[batch * steps];
    for (int i = valid.nextSetBit(0); i >= 0; i = valid.nextSetBit(i + 1)) {
      d[i] = 1f;
    }
    return Tensor.wrap(new int[] {batch, steps}, d);
  }

  public String shapeString() {
    return Shapes.format(batch, steps);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mask m && m.batch == batch && m.steps == steps && m.valid.equals(valid);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {batch, steps, valid.hashCode()});
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Mask" + shapeString() + "[");
    for (int b = 0; b < batch; b++) {
      sb.append(b == 0 ? "" : ", ");
      for (int t = 0; t < steps; t++) {
        sb.append(isValid(b, t) ? '1' : '0');
      }
    }
    return sb.append(']').toString();
  }
}

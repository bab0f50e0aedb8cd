package org.rnn4j.reference;

import java.util.Arrays;

/**
 * Scratch arrays reused from call to call, so that the time loop allocates nothing and a warm
 * prepared model allocates only its results. Each slot grows to the largest size asked of it.
 */
final class Workspace {
  private final float[][] slots = new float[Slot.values().length][];
  private Workspace[] threads = new Workspace[0];
  /** Arrays a forward pass records for its backward pass, handed out in order from {@link #startRecording}. */
  private final java.util.List<float[]> recorded = new java.util.ArrayList<>();
  private int recordedCursor;

  enum Slot {
    INPUT, HIDDEN_A, HIDDEN_B, ROWS, PROJECTION, RECURRENT, H0, H1, C0, C1, RESET_H, OUTPUT
  }

  /** The workspace of worker {@code thread} of a parallel run (0: this one). */
  synchronized Workspace forThread(int thread) {
    if (thread == 0) {
      return this;
    }
    if (threads.length < thread) {
      threads = java.util.Arrays.copyOf(threads, thread);
    }
    if (threads[thread - 1] == null) {
      threads[thread - 1] = new Workspace();
    }
    return threads[thread - 1];
  }

  /** An array of at least {@code size} floats for {@code slot}; its content is undefined. */
  float[] get(Slot slot, int size) {
    float[] a = slots[slot.ordinal()];
    if (a == null || a.length < size) {
      a = new float[Math.max(size, a == null ? 0 : a.length + a.length / 2)];
      slots[slot.ordinal()] = a;
    }
    return a;
  }

  private float[][] lanes = new float[0][];
  /** Row arrays handed out in order from {@link #startRecording}, as {@link #recorded} are. */
  private final java.util.List<float[][]> rows = new java.util.ArrayList<>();
  private int rowsCursor;

  /** {@code count} separate arrays of at least {@code width} floats each, reused; their content is undefined. */
  float[][] lanes(int count, int width) {
    lanes = atLeast(lanes, count, width);
    return lanes;
  }

  /**
   * At least {@code count} arrays of at least {@code width} floats, distinct from every other set
   * handed out since {@link #startRecording} (a backward pass keeps several alive at once, one per
   * thread or per block of rows): a product operand in the one-array-per-row layout ({@link
   * Packed#empty}). Their content is undefined.
   */
  float[][] rows(int count, int width) {
    int i = rowsCursor++;
    if (i == rows.size()) {
      rows.add(new float[0][]);
    }
    float[][] r = atLeast(rows.get(i), count, width);
    rows.set(i, r);
    return r;
  }

  /** {@code arrays} when it holds {@code count} arrays of {@code width} floats, else larger ones. */
  private static float[][] atLeast(float[][] arrays, int count, int width) {
    if (arrays.length >= count && (count == 0 || arrays[0].length >= width)) {
      return arrays;
    }
    int w = Math.max(width, arrays.length == 0 ? 0 : arrays[0].length);
    return new float[Math.max(count, arrays.length)][w];
  }

  /** A call's inputs, one array each, exactly their size (a {@link Buf} fits its array). */
  private float[][] inputs = new float[0][];

  /**
   * An array of exactly {@code size} floats for input {@code index} of a call, the same from call
   * to call while the size stays: a call's copy of its inputs allocates nothing once warm. Its
   * content is undefined; a result that shares it must be copied out ({@link #isInput}).
   */
  float[] input(int index, int size) {
    if (inputs.length <= index) {
      inputs = Arrays.copyOf(inputs, index + 1);
    }
    if (inputs[index] == null || inputs[index].length != size) {
      inputs[index] = new float[size];
    }
    return inputs[index];
  }

  /** Whether {@code a} is one of the arrays {@link #input} hands out (the next call overwrites it). */
  boolean isInput(float[] a) {
    for (float[] in : inputs) {
      if (in == a) {
        return true;
      }
    }
    return false;
  }

  /** Starts a forward-and-backward pass: the recorded arrays of the last one may be handed out again. */
  void startRecording() {
    recordedCursor = 0;
    rowsCursor = 0;
  }

  /**
   * The next array of at least {@code size} floats for a forward pass to record into, distinct from
   * every other handed out since {@link #startRecording}; its content is undefined.
   */
  float[] recorded(int size) {
    int i = recordedCursor++;
    if (i == recorded.size()) {
      recorded.add(null);
    }
    float[] a = recorded.get(i);
    if (a == null || a.length < size) {
      a = new float[size];
      recorded.set(i, a);
    }
    return a;
  }

  /** As {@link #recorded}, zeroed over {@code size}. */
  float[] recordedZeroed(int size) {
    float[] a = recorded(size);
    Arrays.fill(a, 0, size, 0f);
    return a;
  }

  /** As {@link #get}, zeroed over {@code size}. */
  float[] zeroed(Slot slot, int size) {
    float[] a = get(slot, size);
    Arrays.fill(a, 0, size, 0f);
    return a;
  }
}

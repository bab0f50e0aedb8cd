package org.rnn4j.initializers;

/** Keras' fan-in and fan-out of a weight shape (its {@code compute_fans}). */
record Fans(double in, double out) {
  static Fans of(int[] shape) {
    if (shape.length == 0) {
      return new Fans(1, 1);
    }
    if (shape.length == 1) {
      return new Fans(shape[0], shape[0]);
    }
    if (shape.length == 2) {
      return new Fans(shape[0], shape[1]);
    }
    double receptiveField = 1;
    for (int i = 0; i < shape.length - 2; i++) {
      receptiveField *= shape[i];
    }
    return new Fans(
        shape[shape.length - 2] * receptiveField, shape[shape.length - 1] * receptiveField);
  }
}

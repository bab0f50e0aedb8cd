package org.rnn4j.cli;

import org.rnn4j.InvalidInputException;
import org.rnn4j.parity.Tolerance;

/** Checks {@code --atol} and {@code --rtol}. */
final class Tolerances {
  private Tolerances() {}

  static Tolerance of(double atol, double rtol) {
    try {
      return new Tolerance(atol, rtol);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("--atol/--rtol: " + e.getMessage());
    }
  }
}

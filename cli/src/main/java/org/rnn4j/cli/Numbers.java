package org.rnn4j.cli;


/** How the commands print numbers: differences in scientific notation, ULPs as integers. */
final class Numbers {
  private Numbers() {}

  static String sci(double v) {
    return org.rnn4j.parity.Comparison.scientific(v);
  }

  static String ulps(long v) {
    return v == Long.MAX_VALUE ? "inf" : Long.toString(v);
  }
}

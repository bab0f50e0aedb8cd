package org.rnn4j.cli;

import java.util.Locale;

/** How the commands print numbers: differences in scientific notation, ULPs as integers. */
final class Numbers {
  private Numbers() {}

  static String sci(double v) {
    if (Double.isInfinite(v)) {
      return "inf";
    }
    if (Double.isNaN(v)) {
      return "nan";
    }
    return v == 0 ? "0" : String.format(Locale.ROOT, "%.2e", v);
  }

  static String ulps(long v) {
    return v == Long.MAX_VALUE ? "inf" : Long.toString(v);
  }
}

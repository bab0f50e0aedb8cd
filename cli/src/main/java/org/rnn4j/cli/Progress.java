package org.rnn4j.cli;

import java.io.PrintWriter;

/**
 * Progress of long work on stderr, shown only when the command talks to a terminal (a console is
 * attached) and silent when its output is piped or redirected.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean enabled;

  Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  static Progress forTerminal(PrintWriter err) {
    return new Progress(err, System.console() != null);
  }

  void step(String what) {
    if (enabled) {
      err.print("\r\033[K" + what);
      err.flush();
    }
  }

  void done() {
    if (enabled) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}

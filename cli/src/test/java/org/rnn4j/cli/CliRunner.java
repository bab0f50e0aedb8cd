package org.rnn4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command in-process and captures what it prints. */
final class CliRunner {
  record Outcome(int exitCode, String out, String err) {
    /** The error output, which must be one line without a stack trace. */
    String errorLine() {
      return err.strip();
    }
  }

  private CliRunner() {}

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }
}

package org.rnn4j.cli;

/** The exit codes of every {@code rnn4j} command. */
public final class ExitCodes {
  /** Success; for cross-checks, every backend agreed within tolerance. */
  public static final int OK = 0;
  /** A cross-check found a tensor on which backends disagree beyond tolerance. */
  public static final int DISAGREEMENT = 1;
  /** Bad usage or bad input: the message names the argument or file and what was expected. */
  public static final int BAD_INPUT = 2;
  /** An internal error (a bug in rnn4j); rerun with --verbose for the stack trace. */
  public static final int INTERNAL_ERROR = 3;

  private ExitCodes() {}

  static final String DOCUMENTATION =
      "Exit codes: 0 ok (backends agree); 1 backends disagree beyond tolerance;"
          + " 2 bad usage or bad input; 3 internal error.";
}

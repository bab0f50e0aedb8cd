package org.rnn4j.cli;

import java.io.PrintWriter;
import org.rnn4j.Rnn4jException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an error during a command into one line on stderr and an exit code: rnn4j's own errors
 * (bad files, shapes, arguments) exit 2, anything else is an internal error (3). The stack trace
 * is printed only with {@code --verbose}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parse) {
    PrintWriter err = cmd.getErr();
    boolean verbose = parse.hasMatchedOption("--verbose") || parse.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
    Throwable t = ex;
    if (t instanceof Rnn4jException || t instanceof CommandLine.ParameterException) {
      err.println("rnn4j: error: " + oneLine(t.getMessage()));
      if (verbose) {
        t.printStackTrace(err);
      }
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    err.println("rnn4j: internal error: " + t.getClass().getName() + ": " + oneLine(String.valueOf(t.getMessage()))
        + (verbose ? "" : " (rerun with --verbose for details)"));
    if (verbose) {
      t.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.INTERNAL_ERROR;
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
  }
}

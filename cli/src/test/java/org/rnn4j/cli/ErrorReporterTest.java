package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.rnn4j.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Exit codes 2 and 3 and what --verbose adds, through the handler every command uses. */
class ErrorReporterTest {
  @Command(name = "fails")
  static final class Failing implements Callable<Integer> {
    @Mixin VerboseOption verbose;
    RuntimeException toThrow;

    @Override
    public Integer call() {
      throw toThrow;
    }
  }

  private static String[] run(RuntimeException e, String... args) {
    Failing command = new Failing();
    command.toThrow = e;
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(new ErrorReporter());
    return new String[] {String.valueOf(cli.execute(args)), err.toString()};
  }

  @Test
  void anUnexpectedFailureExits3InOneLineAndShowsItsStackTraceWithVerbose() {
    String[] quiet = run(new IllegalStateException("a bug\nover two lines"));
    assertEquals(String.valueOf(ExitCodes.INTERNAL_ERROR), quiet[0]);
    assertEquals("rnn4j: internal error: java.lang.IllegalStateException: a bug over two lines (rerun with --verbose for details)",
        quiet[1].strip());
    String[] verbose = run(new IllegalStateException("a bug"), "--verbose");
    assertEquals("3", verbose[0]);
    assertTrue(verbose[1].startsWith("rnn4j: internal error: java.lang.IllegalStateException: a bug\n"), verbose[1]);
    assertTrue(verbose[1].contains("\tat org.rnn4j.cli.ErrorReporterTest."), verbose[1]);
  }

  @Test
  void badInputExits2InOneLineAndShowsItsStackTraceOnlyWithVerbose() {
    String[] quiet = run(new InvalidInputException("x.npy: input has shape (2, 3), expected rank 3"));
    assertEquals("2", quiet[0]);
    assertEquals("rnn4j: error: x.npy: input has shape (2, 3), expected rank 3", quiet[1].strip());
    assertFalse(quiet[1].contains("\tat "), quiet[1]);
    String[] verbose = run(new InvalidInputException("bad"), "--verbose");
    assertEquals("2", verbose[0]);
    assertTrue(verbose[1].contains("\tat org.rnn4j.cli.ErrorReporterTest."), verbose[1]);
  }
}

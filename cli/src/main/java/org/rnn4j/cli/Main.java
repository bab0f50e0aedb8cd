package org.rnn4j.cli;

import java.io.PrintWriter;
import org.rnn4j.Limits;
import picocli.CommandLine;

/** Entry point of the {@code rnn4j} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command with the given streams and returns its exit code (used by the tests too). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Rnn4jCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(new UsageErrorReporter());
    Limits before = Limits.current();
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      err.println("rnn4j: error: out of memory (" + e.getMessage() + "); give the JVM more heap (-Xmx) or lower --memory-limit");
      err.flush();
      return ExitCodes.BAD_INPUT;
    } finally {
      Limits.setCurrent(before); // --memory-limit holds for this run only
    }
  }
}

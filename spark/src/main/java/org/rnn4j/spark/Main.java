package org.rnn4j.spark;

import java.io.PrintWriter;
import org.rnn4j.Rnn4jException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar rnn4j-spark.jar score ...}: rnn4j on Spark from the command line. */
@Command(name = "rnn4j-spark", mixinStandardHelpOptions = true, subcommands = ScoreCommand.class,
    description = "rnn4j on Apache Spark: score sequences with a Keras recurrent model.")
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command; errors of input are one line (exit 2), anything else exit 3. */
  static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((ex, cmd, parse) -> {
      PrintWriter err = cmd.getErr();
      Throwable cause = ex;
      // an executor's failure reaches the driver wrapped in Spark's exceptions
      while (cause != null && !(cause instanceof Rnn4jException)) {
        cause = cause.getCause();
      }
      if (cause != null) {
        err.println("rnn4j-spark: error: " + cause.getMessage().replace('\n', ' '));
        return 2;
      }
      err.println("rnn4j-spark: internal error: " + ex.getClass().getName() + ": " + String.valueOf(ex.getMessage()).lines().findFirst().orElse(""));
      return 3;
    });
    return cli.execute(args);
  }
}

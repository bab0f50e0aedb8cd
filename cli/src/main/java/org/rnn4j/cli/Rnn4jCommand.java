package org.rnn4j.cli;

import org.rnn4j.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level {@code rnn4j} command. */
@Command(
    name = "rnn4j",
    mixinStandardHelpOptions = true,
    versionProvider = Rnn4jCommand.VersionInfo.class,
    description = "Keras-exact recurrent networks (LSTM, GRU, SimpleRNN) on interchangeable backends.",
    subcommands = {NotebookCommand.class, RunCommand.class, CompareCommand.class, InspectCommand.class, BenchCommand.class, BackendsCommand.class},
    footer = {"", ExitCodes.DOCUMENTATION})
public final class Rnn4jCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** rnn4j's version and the JVM it runs on. */
  static final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "rnn4j " + Version.get(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        System.getProperty("os.name") + " " + System.getProperty("os.arch")
      };
    }
  }
}

package org.rnn4j.cli;

import org.rnn4j.Limits;
import org.rnn4j.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code rnn4j} command. */
@Command(
    name = "rnn4j",
    mixinStandardHelpOptions = true,
    versionProvider = Rnn4jCommand.VersionInfo.class,
    description = "Keras-exact recurrent networks (LSTM, GRU, SimpleRNN) on interchangeable backends.",
    subcommands = {NotebookCommand.class, RunCommand.class, GradientsCommand.class, TrainCommand.class, CompareCommand.class, InspectCommand.class, BenchCommand.class, BackendsCommand.class,
        picocli.AutoComplete.GenerateCompletion.class},
    footer = {"", ExitCodes.DOCUMENTATION})
public final class Rnn4jCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** Sets the memory limit of every file read and call of this run (see {@link Limits}). */
  @Option(names = "--memory-limit", paramLabel = "SIZE", scope = ScopeType.INHERIT,
      description = "The most memory one file load or one call may need, e.g. 512m or 4g"
          + " (default: half the JVM's maximum heap; also -Drnn4j.limits.memory=SIZE).")
  void setMemoryLimit(String size) {
    try {
      Limits.setCurrent(Limits.current().withMemoryBytes(Limits.parseSize(size, "--memory-limit")));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

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

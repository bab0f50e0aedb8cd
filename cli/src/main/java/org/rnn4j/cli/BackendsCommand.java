package org.rnn4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rnn4j.Backends;
import org.rnn4j.BackendInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rnn4j backends}: what is installed, which version, whether it works here and why not. */
@Command(
    name = "backends",
    mixinStandardHelpOptions = true,
    description = "List the backends found on the class path: version, availability (and why not), options.",
    footer = {"", "Example:", "  rnn4j backends", "", ExitCodes.DOCUMENTATION})
final class BackendsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (BackendInfo b : Backends.describe()) {
      out.printf("%-12s %-10s %s%n", b.name(), b.available() ? "available" : "UNAVAILABLE", b.description());
      out.printf("%-12s version %s%n", "", b.version());
      if (!b.available()) {
        out.printf("%-12s reason: %s%n", "", b.unavailableReason());
      }
      for (BackendInfo.Option o : b.options()) {
        out.printf("%-12s option %s=%s: %s%n", "", o.name(), o.defaultValue(), o.description());
      }
    }
    return ExitCodes.OK;
  }
}

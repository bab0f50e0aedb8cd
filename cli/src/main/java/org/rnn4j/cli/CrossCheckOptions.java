package org.rnn4j.cli;

import java.util.List;
import org.rnn4j.parity.Tolerance;
import picocli.CommandLine.Option;

/** {@code --backends}, {@code --atol}, {@code --rtol}, {@code --format}: how backends are cross-checked and reported. */
final class CrossCheckOptions {
  @Option(names = {"--backends", "--backend"}, paramLabel = "all|NAME[,NAME]", defaultValue = "all",
      description = "Backends to run: all available (default), or a comma-separated list; the first is the baseline.")
  String backends;

  @Option(names = "--atol", paramLabel = "X", defaultValue = "1e-5", description = "Absolute tolerance (default: ${DEFAULT-VALUE}).")
  double atol;

  @Option(names = "--rtol", paramLabel = "Y", defaultValue = "0", description = "Relative tolerance (default: ${DEFAULT-VALUE}).")
  double rtol;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "Output format (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  Tolerance tolerance() {
    return Tolerances.of(atol, rtol);
  }

  List<String> backendNames() {
    return BackendSelection.resolve(backends);
  }
}

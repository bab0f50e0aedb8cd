package org.rnn4j.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}: stack traces with errors. */
final class VerboseOption {
  @Option(names = "--verbose", description = "Print stack traces with errors.")
  boolean verbose;
}

package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Backend;
import org.rnn4j.BackendOptions;
import org.rnn4j.Backends;
import picocli.CommandLine.Option;

/** {@code --backend-option name=value}, passed to every backend a command opens. */
final class BackendChoice {
  @Option(
      names = "--backend-option",
      paramLabel = "NAME=VALUE",
      description = "A backend setting, e.g. lstm_path=composite (tensorflow); repeatable. 'rnn4j backends' lists them.")
  List<String> options = new ArrayList<>();

  Backend open(String name) {
    return Backends.open(name, BackendOptions.of(optionsFor(name)));
  }

  /** The options meant for backend {@code name}: each backend takes the options it declares. */
  java.util.Map<String, String> optionsFor(String name) {
    BackendOptions all = BackendOptions.parse(options.toArray(String[]::new));
    List<String> known = Backends.provider(name).options().stream().map(o -> o.name()).toList();
    java.util.Map<String, String> mine = new java.util.TreeMap<>(all.asMap());
    mine.keySet().retainAll(known);
    return mine;
  }

  /** Fails if an option belongs to none of the backends. */
  void requireKnown(List<String> backendNames) {
    BackendOptions all = BackendOptions.parse(options.toArray(String[]::new));
    List<String> known = new ArrayList<>();
    for (String b : backendNames) {
      Backends.provider(b).options().forEach(o -> known.add(o.name()));
    }
    all.requireKnown(String.join(", ", backendNames), known);
  }
}

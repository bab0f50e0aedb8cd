package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.rnn4j.BackendUnavailableException;
import org.rnn4j.Backends;
import org.rnn4j.BackendInfo;

/** Turns {@code all} or {@code name,name,...} into backend names, each known and available here. */
final class BackendSelection {
  private BackendSelection() {}

  static List<String> resolve(String spec) {
    if (spec == null || spec.equals("all")) {
      List<String> names = Backends.availableNames();
      // The reference backend first: it is the baseline every other backend is compared with.
      names = new ArrayList<>(names);
      if (names.remove("reference")) {
        names.add(0, "reference");
      }
      return names;
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (String part : spec.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      BackendInfo b = Backends.describe(name);
      if (!b.available()) {
        throw new BackendUnavailableException("backend '" + name + "' is not available: " + b.unavailableReason());
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      throw new BackendUnavailableException("no backend named in '" + spec + "'");
    }
    return List.copyOf(names);
  }
}

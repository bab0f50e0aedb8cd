package org.rnn4j;

import java.util.List;

/**
 * What a backend on the class path is, for users and reports: its name, version, whether it works
 * here (and why not) and the options it accepts. {@link Backends#describe()} lists them.
 */
public record BackendInfo(String name, String description, String version, boolean available, String unavailableReason,
    List<Option> options) {
  /** An option: its name, what it does, its default. */
  public record Option(String name, String description, String defaultValue) {}

  public BackendInfo {
    options = List.copyOf(options);
  }
}

package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.Backend;
import org.rnn4j.BackendOptions;
import org.rnn4j.Version;
import org.rnn4j.spi.BackendProvider;

/** Provides the {@code reference} backend: pure Java, always available. */
public final class ReferenceBackendProvider implements BackendProvider {
  /** The backend's name. */
  public static final String NAME = "reference";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "pure Java: the Keras equations in float32";
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public List<BackendOption> options() {
    return List.of();
  }

  @Override
  public Backend open(BackendOptions options) {
    options.requireKnown(NAME, options().stream().map(BackendOption::name).toList());
    return new ReferenceBackend();
  }
}

package org.rnn4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.rnn4j.spi.BackendProvider;

/**
 * The backends on the class path, found with {@link ServiceLoader}. Core knows none of them by
 * name: adding a backend module to the class path makes it available here.
 */
public final class Backends {
  private Backends() {}

  /** Every backend provider found, available or not, sorted by name. */
  public static List<BackendProvider> providers() {
    List<BackendProvider> list = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
    list.sort(Comparator.comparing(BackendProvider::name));
    return List.copyOf(list);
  }

  /** What every backend found is: name, version, availability, options. */
  public static List<BackendInfo> describe() {
    return providers().stream().map(Backends::info).toList();
  }

  /**
   * What backend {@code name} is.
   *
   * @throws BackendUnavailableException if there is none, listing the known names
   */
  public static BackendInfo describe(String name) {
    return info(provider(name));
  }

  private static BackendInfo info(BackendProvider p) {
    BackendProvider.Availability a = p.availability();
    return new BackendInfo(p.name(), p.description(), p.version(), a.available(), a.reason(),
        p.options().stream().map(o -> new BackendInfo.Option(o.name(), o.description(), o.defaultText())).toList());
  }

  /** The names of every backend found. */
  public static List<String> names() {
    return providers().stream().map(BackendProvider::name).collect(Collectors.toList());
  }

  /** The names of the backends that can work on this machine. */
  public static List<String> availableNames() {
    return providers().stream()
        .filter(p -> p.availability().available())
        .map(BackendProvider::name)
        .collect(Collectors.toList());
  }

  /**
   * The provider named {@code name}.
   *
   * @throws BackendUnavailableException if there is none, listing the known names
   */
  public static BackendProvider provider(String name) {
    List<BackendProvider> all = providers();
    return all.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new BackendUnavailableException(
                    "unknown backend '"
                        + name
                        + "' (known: "
                        + all.stream().map(BackendProvider::name).collect(Collectors.joining(", "))
                        + ")"));
  }

  /** Opens the backend {@code name} with default options. */
  public static Backend open(String name) {
    return open(name, BackendOptions.none());
  }

  /** Opens the backend {@code name} with {@code name=value} options. */
  public static Backend open(String name, Map<String, String> options) {
    return open(name, BackendOptions.of(options));
  }

  /**
   * Opens the backend {@code name}.
   *
   * @throws BackendUnavailableException if it is unknown or cannot work here (with the reason)
   */
  public static Backend open(String name, BackendOptions options) {
    BackendProvider provider = provider(name);
    BackendProvider.Availability a = provider.availability();
    if (!a.available()) {
      throw new BackendUnavailableException("backend '" + name + "' is not available: " + a.reason());
    }
    return provider.open(options);
  }
}

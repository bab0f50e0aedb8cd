package org.rnn4j.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rnn4j.BackendOptions;
import org.rnn4j.InvalidInputException;

/**
 * One option a backend accepts, declared once: its name, what it does, its default and how its
 * text is read. {@link #get} reads it from the options a backend is opened with; {@link
 * org.rnn4j.BackendInfo} shows it to users.
 *
 * @param <T> the option's value type
 */
public final class BackendOption<T> {
  private final String name;
  private final String description;
  private final Supplier<T> defaultValue;
  private final Function<String, T> parser;

  private BackendOption(String name, String description, Supplier<T> defaultValue, Function<String, T> parser) {
    this.name = name;
    this.description = description;
    this.defaultValue = defaultValue;
    this.parser = parser;
  }

  /** An option whose value is one of {@code choices} (case-insensitive); the first is the default. */
  public static BackendOption<String> choice(String name, String description, String... choices) {
    return new BackendOption<>(name, description, () -> choices[0], v -> {
      String lower = v.toLowerCase(Locale.ROOT);
      if (!Arrays.asList(choices).contains(lower)) {
        throw new InvalidInputException("backend option '" + name + "' must be one of " + String.join(", ", choices) + ", got '" + v + "'");
      }
      return lower;
    });
  }

  /** An integer option of at least {@code min}. */
  public static BackendOption<Integer> integer(String name, String description, Supplier<Integer> defaultValue, int min) {
    return new BackendOption<>(name, description, defaultValue, v -> {
      try {
        int i = Integer.parseInt(v.trim());
        if (i >= min) {
          return i;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new InvalidInputException("backend option '" + name + "' must be an integer of at least " + min + ", got '" + v + "'");
    });
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** The default as text. */
  public String defaultText() {
    return String.valueOf(defaultValue.get());
  }

  /**
   * The option's value in {@code options}, or its default when absent.
   *
   * @throws InvalidInputException naming the option if its text does not parse
   */
  public T get(BackendOptions options) {
    String v = options.asMap().get(name);
    return v == null ? defaultValue.get() : parser.apply(v);
  }

  /** Whether {@code options} sets this option. */
  public boolean isSet(BackendOptions options) {
    return options.asMap().containsKey(name);
  }

  /**
   * Checks that {@code options} names only {@code known} options.
   *
   * @throws InvalidInputException naming the unknown option and the known ones
   */
  public static void requireKnown(String backend, BackendOptions options, List<BackendOption<?>> known) {
    options.requireKnown(backend, known.stream().map(BackendOption::name).toList());
  }
}

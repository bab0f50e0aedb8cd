package org.rnn4j.spi;

import java.util.List;
import org.rnn4j.Backend;
import org.rnn4j.BackendOptions;

/**
 * A backend implementation, discovered with {@link java.util.ServiceLoader}: a backend module
 * lists its provider in {@code META-INF/services/org.rnn4j.spi.BackendProvider}. Constructing a
 * provider must be cheap and free of side effects; native libraries load when {@link
 * #availability()} or {@link #open} first needs them.
 */
public interface BackendProvider {

  /** The backend's name ({@code reference}, {@code tensorflow}). */
  String name();

  /** One line saying what the backend is. */
  String description();

  /** Whether the backend can work on this machine, and why not. */
  Availability availability();

  /** The backend's version; for a backend wrapping a library, that library's version. */
  String version();

  /** The options {@link #open} accepts, each declared once with its default and parser. */
  List<BackendOption<?>> options();

  /**
   * Opens the backend.
   *
   * @throws org.rnn4j.BackendUnavailableException if it is not available here
   * @throws org.rnn4j.InvalidInputException if an option is unknown or malformed
   */
  Backend open(BackendOptions options);

  /** Whether a backend works here, with the reason when it does not. */
  record Availability(boolean available, String reason) {
    public static Availability yes() {
      return new Availability(true, null);
    }

    public static Availability no(String reason) {
      return new Availability(false, reason);
    }
  }
}

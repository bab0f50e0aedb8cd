package org.rnn4j;

/** A backend is unknown, or it is known but cannot work on this machine (for example its native library failed to load). */
public class BackendUnavailableException extends Rnn4jException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message) {
    super(message);
  }

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.rnn4j;

/** A backend cannot run a valid model. Backends raise it when a model is prepared, never in the middle of a run. */
public class UnsupportedFeatureException extends Rnn4jException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFeatureException(String message) {
    super(message);
  }

  public UnsupportedFeatureException(String message, Throwable cause) {
    super(message, cause);
  }
}

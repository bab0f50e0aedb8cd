package org.rnn4j;

/** A model description or its weights are invalid: an unknown layer class, an unsupported configuration argument, a weight of the wrong shape. */
public class InvalidModelException extends Rnn4jException {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.rnn4j;

/** Call inputs do not fit the model: wrong rank, wrong feature size, an empty time axis, initial states or masks of the wrong shape. */
public class InvalidInputException extends Rnn4jException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}

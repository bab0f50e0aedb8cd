package org.rnn4j;

/** Reading a file or running a call would need more memory (or more archive entries, or a deeper JSON document) than the configured limits allow. */
public class ResourceLimitException extends Rnn4jException {
  private static final long serialVersionUID = 1L;

  public ResourceLimitException(String message) {
    super(message);
  }

  public ResourceLimitException(String message, Throwable cause) {
    super(message, cause);
  }
}

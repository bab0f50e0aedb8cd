package org.rnn4j;

/**
 * Base type of every error rnn4j reports on purpose. Each subtype names one kind of failure, and
 * its message is a single line that names the file, argument, layer or weight concerned and what
 * was expected, so that a command-line tool can print it as it is.
 *
 * <ul>
 *   <li>{@link InvalidModelException}: a model description or its weights are invalid.
 *   <li>{@link InvalidInputException}: call inputs (arrays, initial states, masks) do not fit the model.
 *   <li>{@link FileFormatException}: a file is not what it claims to be.
 *   <li>{@link UnsupportedFeatureException}: a backend cannot run a valid model (reported when the
 *       model is prepared).
 *   <li>{@link BackendUnavailableException}: a backend is unknown or cannot load.
 *   <li>{@link ResourceLimitException}: a file or call would need more memory than allowed.
 * </ul>
 */
public class Rnn4jException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Rnn4jException(String message) {
    super(message);
  }

  public Rnn4jException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.rnn4j;

/** A file cannot be read as what it claims to be: a truncated or malformed NumPy array, JSON document, zip archive or HDF5 file. */
public class FileFormatException extends Rnn4jException {
  private static final long serialVersionUID = 1L;

  public FileFormatException(String message) {
    super(message);
  }

  public FileFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}

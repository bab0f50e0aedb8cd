package org.rnn4j;

/**
 * A model prepared on one backend, ready for repeated calls. It owns the backend resources made
 * for it (native graphs and sessions for TensorFlow) until closed.
 *
 * <p>Every implementation in rnn4j is safe for concurrent {@link #run} calls from several threads;
 * results are identical to serial calls. {@link #close()} waits for calls in progress; closing
 * twice is harmless; running a closed model throws {@link IllegalStateException}.
 */
public interface PreparedModel extends AutoCloseable {

  /** The model this was prepared from. */
  Model model();

  /** The name of the backend that prepared it. */
  String backendName();

  /** Runs the model on {@code input} with zero initial states and no mask. */
  default Result run(Tensor input) {
    return run(Call.of(input));
  }

  /**
   * Runs one call.
   *
   * @throws InvalidInputException if the input, mask or initial states do not fit the model
   * @throws IllegalStateException if the model is closed
   */
  Result run(Call call);

  /** Whether {@link #close()} has been called. */
  boolean isClosed();

  @Override
  void close();
}

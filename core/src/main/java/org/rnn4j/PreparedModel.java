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

  /**
   * The loss of the model's (first) output against {@code target} and its gradients with respect
   * to every weight, the float inputs and the call's initial states (backpropagation through time,
   * dropout off as at inference). A sequence output that carries a mask weights the loss by it,
   * as Keras does.
   *
   * @param target the output's shape; for sparse categorical crossentropy the output's shape
   *     without its last axis, holding class ids
   * @throws UnsupportedFeatureException if a layer of the model has no backward pass (before any work)
   * @throws InvalidInputException if the call or the target does not fit the model
   * @throws IllegalStateException if the model is closed
   */
  Gradients gradients(Call call, Tensor target, Loss loss);

  /**
   * As {@link #gradients(Call, Tensor, Loss)}, with the model's weights replaced by {@code
   * weights} for this call only: what a training step needs, without preparing the model again.
   *
   * @param weights values for the model's architecture (same count and shapes)
   * @throws InvalidModelException if the weights do not fit the model's architecture
   */
  Gradients gradients(Call call, Tensor target, Loss loss, Weights weights);

  /** Whether {@link #close()} has been called. */
  boolean isClosed();

  @Override
  void close();
}

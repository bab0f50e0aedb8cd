package org.rnn4j.tensorflow;

import java.util.IdentityHashMap;
import java.util.Map;
import org.rnn4j.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A prepared model's weights as TensorFlow tensors, made once and fed to every graph of the model:
 * one native copy however many call signatures are cached (a weight written into each graph as a
 * constant would be copied into every graph and its session). Closed with the prepared model, when
 * no run is left.
 */
final class SharedWeights implements AutoCloseable {
  private final Map<Tensor, TFloat32> tensors = new IdentityHashMap<>();

  /** The TensorFlow tensor of a model weight, made on first use. */
  synchronized TFloat32 of(Tensor w) {
    return tensors.computeIfAbsent(w, k -> TFloat32.tensorOf(GraphOps.shape(k.shape()), DataBuffers.of(k.buffer())));
  }

  @Override
  public synchronized void close() {
    tensors.values().forEach(TFloat32::close);
    tensors.clear();
  }
}

package org.rnn4j.tensorflow;

import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.testing.BackendContract;

/** The shared contract on the TensorFlow backend with its default settings (fused LSTM where it applies). */
class TensorFlowBackendContractTest extends BackendContract {
  @Override
  protected Backend openBackend() {
    return Backends.open("tensorflow");
  }
}

package org.rnn4j.tensorflow;

import java.util.Map;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.testing.BackendContract;

/** The shared contract on the TensorFlow backend with every LSTM forced onto the composite-op path. */
class TensorFlowCompositeContractTest extends BackendContract {
  @Override
  protected Backend openBackend() {
    return Backends.open("tensorflow", Map.of("lstm_path", "composite"));
  }

  @Override
  protected String label(Backend backend) {
    return "tensorflow lstm_path=composite";
  }
}

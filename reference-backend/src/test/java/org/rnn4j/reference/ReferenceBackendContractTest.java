package org.rnn4j.reference;

import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.testing.BackendContract;

/** The shared contract on the reference backend, opened the way users open it. */
class ReferenceBackendContractTest extends BackendContract {
  @Override
  protected Backend openBackend() {
    return Backends.open("reference");
  }
}

package org.rnn4j.reference;

import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.testing.BackendContract;

/**
 * The shared contract on the reference backend as users open it: the fast path, with the Vector
 * API kernels in the module's default test run and the plain-Java ones in its second run.
 */
class ReferenceBackendContractTest extends BackendContract {
  @Override
  protected Backend openBackend() {
    return Backends.open("reference");
  }

  @Override
  protected String label(Backend backend) {
    return "reference path=fast (" + SimdProvider.best().name() + ")";
  }
}

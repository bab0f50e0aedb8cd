package org.rnn4j.reference;

import java.util.Map;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.testing.BackendContract;

/** The shared contract on the reference backend's exact path (double accumulation, one row at a time). */
class ReferenceExactContractTest extends BackendContract {
  @Override
  protected Backend openBackend() {
    return Backends.open("reference", Map.of("path", "exact"));
  }

  @Override
  protected String label(Backend backend) {
    return "reference path=exact";
  }
}

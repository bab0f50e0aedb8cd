package org.rnn4j.reference;

import org.rnn4j.Model;
import org.rnn4j.Version;
import org.rnn4j.spi.AbstractBackend;
import org.rnn4j.spi.AbstractPreparedModel;

/** The pure-Java backend. It supports every layer rnn4j describes. */
final class ReferenceBackend extends AbstractBackend {
  @Override
  public String name() {
    return ReferenceBackendProvider.NAME;
  }

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  protected AbstractPreparedModel doPrepare(Model model) {
    return new ReferencePreparedModel(model);
  }
}

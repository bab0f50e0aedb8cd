package org.rnn4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.rnn4j.Backend;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.UnsupportedFeatureException;
import org.rnn4j.layers.Architecture;

/**
 * Lifecycle shared by backends: refuses unsupported models at preparation with every reason,
 * tracks the models it prepared, and closes them when it is closed.
 */
public abstract class AbstractBackend implements Backend {
  private final Set<PreparedModel> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  @Override
  public final PreparedModel prepare(Model model) {
    if (closed) {
      throw new IllegalStateException("backend '" + name() + "' is closed");
    }
    List<String> reasons = unsupportedFeatures(model.architecture());
    if (!reasons.isEmpty()) {
      throw new UnsupportedFeatureException(
          "backend '" + name() + "' cannot run model '" + model.architecture().name() + "': "
              + String.join("; ", reasons));
    }
    AbstractPreparedModel prepared = doPrepare(model);
    open.add(prepared);
    prepared.onClose(() -> open.remove(prepared));
    return prepared;
  }

  /** Prepares a model this backend supports. */
  protected abstract AbstractPreparedModel doPrepare(Model model);

  @Override
  public List<String> unsupportedFeatures(Architecture architecture) {
    return List.of();
  }

  @Override
  public final void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (PreparedModel m : new ArrayList<>(open)) {
      m.close();
    }
    release();
  }

  /** Releases backend-wide resources after every prepared model is closed. */
  protected void release() {}
}

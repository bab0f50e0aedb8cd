package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rnn4j.LayerStates;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.spi.AbstractPreparedModel;
import org.rnn4j.spi.CheckedCall;
import org.rnn4j.spi.Execution;
import org.rnn4j.spi.ModelExecutor;
import org.rnn4j.spi.Stepper;
import org.rnn4j.spi.Stepping;

/**
 * A model prepared on the reference backend. Safe for concurrent calls: each call takes its own
 * {@link Workspace} from a pool (and returns it), weights are converted once into a shared cache.
 * On the fast path, models of stepwise layers can also be stepped in place ({@link
 * ReferenceStepper}) when a step is small enough for one thread.
 */
final class ReferencePreparedModel extends AbstractPreparedModel implements Stepping {
  private final ReferenceEngine engine;
  private final ConcurrentLinkedQueue<Workspace> workspaces = new ConcurrentLinkedQueue<>();

  ReferencePreparedModel(Model model, ReferenceEngine engine) {
    super(model, ReferenceBackendProvider.NAME);
    this.engine = engine;
  }

  @Override
  protected Execution execute(CheckedCall call) {
    Workspace ws = workspaces.poll();
    if (ws == null) {
      ws = new Workspace();
    }
    try {
      return execute(call, new ReferenceKernels(engine, ws));
    } finally {
      workspaces.offer(ws);
    }
  }

  private Execution execute(CheckedCall call, ReferenceKernels kernels) {
    Map<Integer, List<Buf>> initial = new HashMap<>();
    for (int layer : call.initialStates().layers()) {
      List<Buf> states = new ArrayList<>();
      call.initialStates().get(layer).forEach(t -> states.add(Buf.of(t)));
      initial.put(layer, states);
    }
    Buf mask = call.mask() == null ? null : Buf.of(call.mask().toTensor());
    ModelExecutor.Outcome<Buf> outcome =
        ModelExecutor.run(model().architecture(), model().weights(), kernels, Buf.of(call.input()), mask, initial);
    List<Tensor> outputs = new ArrayList<>();
    outcome.outputs().forEach(b -> outputs.add(b.toTensor()));
    LayerStates finals = LayerStates.empty();
    for (Map.Entry<Integer, List<Buf>> e : outcome.finalStates().entrySet()) {
      List<Tensor> states = new ArrayList<>();
      e.getValue().forEach(b -> states.add(b.toTensor()));
      finals = finals.with(e.getKey(), states);
    }
    return new Execution(outputs, finals);
  }

  @Override
  public Stepper stepper(int batch, Set<Integer> carried) {
    ensureOpen();
    if (engine.exact() || !ReferenceStepper.supports(model().architecture())) {
      return null;
    }
    return ReferenceStepper.of(this, engine, batch, carried);
  }

  /** For steppers: @throws IllegalStateException if the model is closed. */
  void checkOpen() {
    ensureOpen();
  }

  @Override
  protected void release() {
    workspaces.clear();
  }
}

package org.rnn4j.reference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.spi.AbstractPreparedModel;
import org.rnn4j.spi.CheckedCall;
import org.rnn4j.spi.LayerWeights;
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
  private final List<LayerWeights> layerWeights;
  /**
   * Idle kernels, each over its own {@link Workspace}: a call takes one (or makes one when none is
   * idle) and puts it back; beyond {@link #IDLE_SLOTS} concurrent calls the extra ones are dropped.
   */
  private final AtomicReferenceArray<ReferenceKernels> idle = new AtomicReferenceArray<>(IDLE_SLOTS);
  private static final int IDLE_SLOTS = 16;

  ReferencePreparedModel(Model model, ReferenceEngine engine) {
    super(model, ReferenceBackendProvider.NAME);
    this.engine = engine;
    this.layerWeights = ModelExecutor.layerWeights(model.architecture(), model.weights());
  }

  @Override
  protected ModelExecutor.Outcome<Tensor> execute(CheckedCall call) {
    ReferenceKernels kernels = takeIdle();
    try {
      return execute(call, kernels);
    } finally {
      putIdle(kernels);
    }
  }

  private ReferenceKernels takeIdle() {
    for (int i = 0; i < IDLE_SLOTS; i++) {
      if (idle.get(i) != null) {
        ReferenceKernels k = idle.getAndSet(i, null);
        if (k != null) {
          return k;
        }
      }
    }
    return new ReferenceKernels(engine, new Workspace());
  }

  private void putIdle(ReferenceKernels kernels) {
    for (int i = 0; i < IDLE_SLOTS; i++) {
      if (idle.get(i) == null && idle.compareAndSet(i, null, kernels)) {
        return;
      }
    }
  }

  private ModelExecutor.Outcome<Tensor> execute(CheckedCall call, ReferenceKernels kernels) {
    Map<Integer, List<Buf>> initial = Map.of();
    if (!call.initialStates().isEmpty()) {
      initial = new HashMap<>();
      for (int layer : call.initialStates().layers()) {
        initial.put(layer, tensorsToBufs(call.initialStates().get(layer)));
      }
    }
    Buf mask = call.mask() == null ? null : Buf.of(call.mask().toTensor());
    ModelExecutor.Outcome<Buf> outcome =
        ModelExecutor.run(model().architecture(), layerWeights, kernels, tensorsToBufs(call.inputs()), mask, initial);
    Map<Integer, List<Tensor>> finals = new TreeMap<>();
    outcome.finalStates().forEach((layer, states) -> finals.put(layer, bufsToTensors(states)));
    return new ModelExecutor.Outcome<>(bufsToTensors(outcome.outputs()), finals);
  }

  private static List<Buf> tensorsToBufs(List<Tensor> tensors) {
    Buf[] out = new Buf[tensors.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Buf.of(tensors.get(i));
    }
    return List.of(out);
  }

  /** Tensors owning the buffers' arrays (the buffers belong to this call alone). */
  private static List<Tensor> bufsToTensors(List<Buf> bufs) {
    Tensor[] out = new Tensor[bufs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bufs.get(i).toTensor();
    }
    return List.of(out);
  }

  @Override
  public Stepper stepper(int batch, Set<Integer> carried) {
    ensureOpen();
    return engine.exact() ? null : ReferenceStepper.of(this, engine, batch, carried);
  }

  /** For steppers: @throws IllegalStateException if the model is closed. */
  void checkOpen() {
    ensureOpen();
  }

  @Override
  protected void release() {
    for (int i = 0; i < IDLE_SLOTS; i++) {
      idle.set(i, null);
    }
  }
}

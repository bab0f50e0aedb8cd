package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.rnn4j.Gradients;
import org.rnn4j.LayerStates;
import org.rnn4j.Loss;
import org.rnn4j.Model;
import org.rnn4j.layers.Architecture;
import org.rnn4j.Tensor;
import org.rnn4j.Weights;
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
    Workspace ws = kernels.workspace();
    ModelExecutor.Outcome<Buf> outcome =
        ModelExecutor.run(model().architecture(), layerWeights, kernels, inputBufs(call.inputs(), ws), mask(call), initialStates(call));
    Map<Integer, List<Tensor>> finals = new TreeMap<>();
    outcome.finalStates().forEach((layer, states) -> finals.put(layer, results(states, ws)));
    return new ModelExecutor.Outcome<>(results(outcome.outputs(), ws), finals);
  }

  /**
   * The call's inputs copied into arrays the workspace keeps from call to call (a large input is
   * otherwise a fresh allocation every call, and a fresh JVM pays a page fault for every page of
   * it until its heap has been touched once).
   */
  private static List<Buf> inputBufs(List<Tensor> tensors, Workspace ws) {
    Buf[] out = new Buf[tensors.size()];
    for (int i = 0; i < out.length; i++) {
      Tensor t = tensors.get(i);
      float[] data = ws.input(i, t.size());
      t.copyTo(data, 0);
      out[i] = new Buf(t.shape(), data);
    }
    return List.of(out);
  }

  /** {@link #result} of each buffer. */
  private static List<Tensor> results(List<Buf> bufs, Workspace ws) {
    Tensor[] out = new Tensor[bufs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = result(bufs.get(i), ws);
    }
    return List.of(out);
  }

  /**
   * A tensor owning the array of a call's result (it belongs to this call alone), or a copy where
   * the result shares an input's reused array (an identity or a reshape of it).
   */
  private static Tensor result(Buf b, Workspace ws) {
    return ws.isInput(b.data) ? Tensor.of(b.shape, b.data) : b.toTensor();
  }

  private static Buf mask(CheckedCall call) {
    return call.mask() == null ? null : Buf.of(call.mask().toTensor());
  }

  private static Map<Integer, List<Buf>> initialStates(CheckedCall call) {
    Map<Integer, List<Buf>> initial = new HashMap<>();
    for (int layer : call.initialStates().layers()) {
      initial.put(layer, tensorsToBufs(call.initialStates().get(layer)));
    }
    return initial;
  }

  @Override
  protected Gradients computeGradients(CheckedCall call, Tensor target, Loss loss, List<Tensor> weights) {
    Architecture architecture = model().architecture();
    boolean own = weights == model().weights().values();
    // other weights (a training step's) are converted for this call only, never into the shared cache
    ReferenceEngine callEngine = own ? engine : engine.withFreshWeights();
    List<LayerWeights> callWeights = own ? layerWeights : ModelExecutor.layerWeights(architecture, Weights.of(architecture, weights));
    // an idle call's workspace: its recorded arrays, as large as the forward pass's activations,
    // are reused from call to call
    ReferenceKernels idleKernels = takeIdle();
    Workspace ws = idleKernels.workspace();
    ws.startRecording();
    try {
      return computeGradients(call, target, loss, weights, architecture, callEngine, callWeights, ws);
    } finally {
      putIdle(idleKernels);
    }
  }

  private Gradients computeGradients(CheckedCall call, Tensor target, Loss loss, List<Tensor> weights, Architecture architecture,
      ReferenceEngine callEngine, List<LayerWeights> callWeights, Workspace ws) {
    BackpropKernels tape = new BackpropKernels(callEngine, ws, weights);
    List<Buf> inputs = inputBufs(call.inputs(), ws);
    Map<Integer, List<Buf>> initial = initialStates(call);
    ModelExecutor.Outcome<Buf> outcome = ModelExecutor.run(architecture, callWeights, tape, inputs, mask(call), initial);
    Buf output = outcome.outputs().get(0);
    Tensor prediction = result(output, ws);
    Buf outputMask = outcome.outputMask(0);
    Loss.Evaluation evaluation = loss.evaluate(prediction, target, outputMask == null ? null : outputMask.toTensor());
    Map<Integer, List<Tensor>> finals = new TreeMap<>();
    outcome.finalStates().forEach((layer, states) -> finals.put(layer, results(states, ws)));
    tape.backward(output, evaluation.gradient().toArray());
    List<Tensor> inputGrads = new ArrayList<>();
    for (int k = 0; k < inputs.size(); k++) {
      inputGrads.add(architecture.inputs().get(k).integerIds() ? null : tape.gradient(inputs.get(k)));
    }
    Map<Integer, List<Tensor>> stateGrads = new TreeMap<>();
    initial.forEach((layer, states) -> stateGrads.put(layer, states.stream().map(tape::gradient).toList()));
    return new Gradients((float) evaluation.value(), weights.stream().map(tape::weightGradient).toList(), inputGrads,
        LayerStates.of(stateGrads), prediction, LayerStates.of(finals));
  }

  private static List<Buf> tensorsToBufs(List<Tensor> tensors) {
    Buf[] out = new Buf[tensors.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Buf.of(tensors.get(i));
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

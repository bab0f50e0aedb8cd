package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Call;
import org.rnn4j.LayerStates;
import org.rnn4j.Mask;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Architecture;

/**
 * Runs a large batch in chunks of rows (batch rows are independent, so the results are the same)
 * to report progress and bound memory, and joins the chunks' results.
 */
final class Batches {
  static final int CHUNK = 128;

  private Batches() {}

  static Result run(PreparedModel model, Call call, Progress progress, String what) {
    int batch = call.input().dim(0);
    if (batch <= CHUNK) {
      return model.run(call);
    }
    List<Result> parts = new ArrayList<>();
    for (int from = 0; from < batch; from += CHUNK) {
      int to = Math.min(batch, from + CHUNK);
      progress.step(what + ": rows " + from + "-" + (to - 1) + " of " + batch);
      parts.add(model.run(slice(call, from, to)));
    }
    return join(model.model().architecture(), parts);
  }

  private static Call slice(Call call, int from, int to) {
    Call c = Call.of(call.inputs().stream().map(t -> rows(t, from, to)).toList());
    if (call.mask() != null) {
      c = c.withMask(Mask.fromTensor(rows(call.mask().toTensor(), from, to)));
    }
    if (call.initialState() != null) {
      c = c.withInitialState(call.initialState().stream().map(t -> rows(t, from, to)).toList());
    }
    LayerStates states = LayerStates.empty();
    for (int layer : call.initialStates().layers()) {
      states = states.with(layer, call.initialStates().get(layer).stream().map(t -> rows(t, from, to)).toList());
    }
    return c.withInitialStates(states);
  }

  static Tensor rows(Tensor t, int from, int to) {
    int[] shape = t.shape();
    int per = t.size() / shape[0];
    float[] d = new float[(to - from) * per];
    System.arraycopy(t.toArray(), from * per, d, 0, d.length);
    shape[0] = to - from;
    return Tensor.wrap(shape, d);
  }

  private static Result join(Architecture arch, List<Result> parts) {
    List<Tensor> outputs = new ArrayList<>();
    for (int i = 0; i < parts.get(0).outputs().size(); i++) {
      int k = i;
      outputs.add(concat(parts.stream().map(p -> p.outputs().get(k)).toList()));
    }
    LayerStates finals = LayerStates.empty();
    for (int layer : parts.get(0).finalStates().layers()) {
      List<Tensor> states = new ArrayList<>();
      for (int s = 0; s < parts.get(0).finalStates().get(layer).size(); s++) {
        int k = s;
        states.add(concat(parts.stream().map(p -> p.finalStates().get(layer).get(k)).toList()));
      }
      finals = finals.with(layer, states);
    }
    return Result.of(arch, outputs, finals);
  }

  private static Tensor concat(List<Tensor> parts) {
    int[] shape = parts.get(0).shape();
    int rows = 0;
    int size = 0;
    for (Tensor t : parts) {
      rows += t.dim(0);
      size += t.size();
    }
    float[] d = new float[size];
    int pos = 0;
    for (Tensor t : parts) {
      t.copyTo(d, pos);
      pos += t.size();
    }
    shape[0] = rows;
    return Tensor.wrap(shape, d);
  }
}

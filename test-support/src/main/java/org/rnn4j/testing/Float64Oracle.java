package org.rnn4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.Call;
import org.rnn4j.LayerStates;
import org.rnn4j.Mask;
import org.rnn4j.Model;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Attention;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.MultiHeadAttention;
import org.rnn4j.layers.Operation;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Flatten;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.InferenceIdentity;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.RepeatVector;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.layers.TimeDistributed;

/**
 * An independent float64 implementation of the Keras semantics in {@code docs/SEMANTICS.md}, written
 * apart from every backend and sharing none of their code, to be the oracle of the randomized
 * contract tests. Clarity over speed: nested arrays, one batch row at a time.
 */
public final class Float64Oracle {
  private Float64Oracle() {}

  /** Runs the model in float64 and rounds the results to float32. */
  public static Result run(Model model, Call call) {
    return model.architecture() instanceof Functional f ? graph(model, f, call) : chain(model, (Sequential) model.architecture(), call);
  }

  /** What one layer call gives: outputs (without states), their mask, the final states of a recurrent layer. */
  private record Out(List<Object> outputs, boolean[][] mask, List<double[][]> states) {}

  /** A model's (first) output in float64, flat in row-major order, and the mask Keras attaches to it (null if none). */
  public record Output(double[] values, int[] shape, boolean[][] mask) {}

  /** Runs a Sequential model in float64 and returns its first output unrounded, with its mask: what a loss is computed from. */
  public static Output firstOutput(Model model, Call call) {
    Chain c = model.architecture() instanceof Functional f ? graphRun(model, f, call) : chainRun(model, (Sequential) model.architecture(), call);
    Tensor shaped = tensor(c.outputs().get(0));
    return new Output(flat(c.outputs().get(0)), shaped.shape(), c.mask());
  }

  private static double[] flat(Object x) {
    if (x instanceof double[] v) {
      return v.clone();
    }
    Object[] parts = (Object[]) x;
    List<double[]> rows = new ArrayList<>();
    int n = 0;
    for (Object part : parts) {
      double[] r = flat(part);
      rows.add(r);
      n += r.length;
    }
    double[] out = new double[n];
    int p = 0;
    for (double[] r : rows) {
      System.arraycopy(r, 0, out, p, r.length);
      p += r.length;
    }
    return out;
  }

  private record Chain(List<Object> outputs, boolean[][] mask, LayerStates finals) {}

  private static Result chain(Model model, Sequential arch, Call call) {
    Chain c = chainRun(model, arch, call);
    return Result.of(arch, c.outputs().stream().map(Float64Oracle::tensor).toList(), c.finals());
  }

  private static Chain chainRun(Model model, Sequential arch, Call call) {
    return chainRun(model, arch, call, call.inputs().stream().map(Float64Oracle::value).toList());
  }

  /** @param inputs the inputs in float64 (a nested model's come from the outer model unrounded) */
  private static Chain chainRun(Model model, Sequential arch, Call call, List<Object> inputs) {
    Object x = inputs.get(0);
    boolean[][] mask = call.mask() == null ? null : mask(call.mask());
    LayerStates finals = LayerStates.empty();
    List<Object> outputs = one(x);
    for (int i = 0; i < arch.layers().size(); i++) {
      Out out = apply(arch.layer(i), model.weights().forLayer(arch, i), outputs.subList(0, 1), arch.inputShape(i), mask,
          initialStates(arch, call, i));
      if (out.states() != null) {
        finals = finals.with(i, tensors(out.states()));
      }
      outputs = out.outputs();
      mask = out.mask();
    }
    return new Chain(outputs, mask, finals);
  }

  /** A functional model, node by node in the graph's order. */
  private static Result graph(Model model, Functional f, Call call) {
    Chain c = graphRun(model, f, call);
    return Result.of(f, c.outputs().stream().map(Float64Oracle::tensor).toList(), c.finals());
  }

  /** A functional model's outputs, the first output's mask and the final states. */
  private static Chain graphRun(Model model, Functional f, Call call) {
    return graphRun(model, f, call, call.inputs().stream().map(Float64Oracle::value).toList());
  }

  private static Chain graphRun(Model model, Functional f, Call call, List<Object> inputs) {
    List<List<Object>> values = new ArrayList<>();
    List<boolean[][]> masks = new ArrayList<>();
    List<Integer> masked = new ArrayList<>(); // how many of a node's tensors carry its mask (not its states)
    for (int k = 0; k < f.inputs().size(); k++) {
      values.add(one(inputs.get(k)));
      masks.add(k == 0 && call.mask() != null ? mask(call.mask()) : null);
      masked.add(1);
    }
    LayerStates finals = LayerStates.empty();
    for (Functional.Node node : f.nodes()) {
      Layer layer = f.layer(node.layer());
      List<Object> ins = node.inputs().stream().map(r -> values.get(r.node()).get(r.tensor())).toList();
      if (layer instanceof MultiHeadAttention mha) {
        List<boolean[][]> in = node.inputs().stream().map(r -> r.tensor() < masked.get(r.node()) ? masks.get(r.node()) : null).toList();
        double[][][] pairs = node.mask() == null ? null : (double[][][]) values.get(node.mask().node()).get(node.mask().tensor());
        List<Object> out = OracleGraph.multiHead(mha, model.weights().forLayer(f, node.layer()), ins, in.get(0), in.get(1),
            in.size() > 2 ? in.get(2) : null, pairs, node.flags().contains(Functional.CAUSAL));
        values.add(node.flags().contains(Functional.RETURN_SCORES) ? out : one(out.get(0)));
        masks.add(in.get(0));
        masked.add(1);
        continue;
      }
      if (layer instanceof Attention att) {
        Functional.Ref q = node.inputs().get(0);
        Functional.Ref v = node.inputs().get(1);
        boolean[][] qm = q.tensor() < masked.get(q.node()) ? masks.get(q.node()) : null;
        boolean[][] vm = v.tensor() < masked.get(v.node()) ? masks.get(v.node()) : null;
        if (!node.masks().isEmpty()) { // the call's own [query_mask, value_mask] replace the inputs' masks
          Functional.Ref qr = node.masks().get(0);
          Functional.Ref vr = node.masks().get(1);
          qm = qr == null ? null : booleans((double[][]) values.get(qr.node()).get(qr.tensor()));
          vm = vr == null ? null : booleans((double[][]) values.get(vr.node()).get(vr.tensor()));
        }
        List<Object> out = OracleGraph.attention(att, model.weights().forLayer(f, node.layer()), ins, qm, vm,
            att.causal() || node.flags().contains(Functional.CAUSAL));
        values.add(node.flags().contains(Functional.RETURN_SCORES) ? out : one(out.get(0)));
        masks.add(qm);
        masked.add(1);
        continue;
      }
      boolean[][] mask = null;
      if (node.mask() != null) {
        mask = booleans((double[][]) values.get(node.mask().node()).get(node.mask().tensor()));
      } else if (layer instanceof Merge merge) {
        List<boolean[][]> in = node.inputs().stream().map(r -> r.tensor() < masked.get(r.node()) ? masks.get(r.node()) : null).toList();
        mask = mergeMask(merge, ins, in);
      } else if (node.implicitMask() && node.inputs().get(0).tensor() < masked.get(node.inputs().get(0).node())) {
        mask = masks.get(node.inputs().get(0).node());
      }
      List<Tensor> init = call.initialStates().get(node.layer());
      if (!node.initialState().isEmpty()) {
        init = node.initialState().stream().map(r -> tensor(values.get(r.node()).get(r.tensor()))).toList();
      }
      Functional.Ref first = node.inputs().get(0);
      Out out = apply(layer, model.weights().forLayer(f, node.layer()), ins, f.nodeShapes(first.node()).get(first.tensor()), mask, init);
      List<Object> all = new ArrayList<>(out.outputs());
      if (out.states() != null) {
        finals = finals.with(node.layer(), tensors(out.states()));
        if ((layer instanceof RNN r && r.returnState()) || (layer instanceof Bidirectional b && b.returnState())) {
          all.addAll(out.states());
        }
      }
      values.add(all);
      masks.add(out.mask());
      masked.add(out.outputs().size());
    }
    List<Object> outputs = f.outputs().stream().map(r -> values.get(r.node()).get(r.tensor())).toList();
    Functional.Ref first = f.outputs().get(0);
    return new Chain(outputs, first.tensor() < masked.get(first.node()) ? masks.get(first.node()) : null, finals);
  }

  /**
   * A merge's output mask: along time the masks are joined end to end (all valid where absent);
   * else Keras 3 takes their union (none if one is absent), tf.keras 2 the intersection of those present.
   */
  private static boolean[][] mergeMask(Merge merge, List<Object> ins, List<boolean[][]> masks) {
    if (masks.stream().allMatch(m -> m == null) || merge.kind() == Merge.Kind.DOT) {
      return null;
    }
    if (merge.kind() == Merge.Kind.CONCATENATE && ins.get(0) instanceof double[][][] && merge.axis(2) == 0) {
      int batch = ((double[][][]) ins.get(0)).length;
      boolean[][] out = new boolean[batch][];
      for (int b = 0; b < batch; b++) {
        List<Boolean> row = new ArrayList<>();
        for (int i = 0; i < ins.size(); i++) {
          int steps = ((double[][][]) ins.get(i))[b].length;
          for (int t = 0; t < steps; t++) {
            row.add(masks.get(i) == null || masks.get(i)[b][t]);
          }
        }
        out[b] = new boolean[row.size()];
        for (int t = 0; t < row.size(); t++) {
          out[b][t] = row.get(t);
        }
      }
      return out;
    }
    boolean union = !merge.keras2Masks();
    if (union && masks.stream().anyMatch(m -> m == null)) {
      return null;
    }
    boolean[][] out = null;
    for (boolean[][] m : masks) {
      if (m == null) {
        continue;
      }
      if (out == null) {
        out = new boolean[m.length][];
        for (int b = 0; b < m.length; b++) {
          out[b] = m[b].clone();
        }
        continue;
      }
      for (int b = 0; b < m.length; b++) {
        for (int t = 0; t < m[b].length; t++) {
          out[b][t] = union ? out[b][t] || m[b][t] : out[b][t] && m[b][t];
        }
      }
    }
    return out;
  }

  private static boolean[][] booleans(double[][] m) {
    boolean[][] out = new boolean[m.length][m[0].length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        out[i][j] = m[i][j] != 0;
      }
    }
    return out;
  }

  private static Object value(Tensor t) {
    if (t.rank() == 4) {
      double[][][][] out = new double[t.dim(0)][][][];
      for (int b = 0; b < out.length; b++) {
        int per = t.size() / t.dim(0);
        float[] d = java.util.Arrays.copyOfRange(t.toArray(), b * per, (b + 1) * per);
        out[b] = cube(Tensor.wrap(new int[] {t.dim(1), t.dim(2), t.dim(3)}, d));
      }
      return out;
    }
    return t.rank() == 3 ? cube(t) : matrix(t);
  }

  private static Out apply(Layer layer, List<Tensor> w, List<Object> ins, int[] inputShape, boolean[][] mask, List<Tensor> init) {
    Object x = ins.get(0);
    if (layer instanceof Masking m && x instanceof double[][] rows) {
      // no time axis: rows whose every value is the mask value become zeros; no mask follows
      double[][] out = new double[rows.length][];
      for (int b = 0; b < rows.length; b++) {
        boolean valid = false;
        for (double v : rows[b]) {
          valid |= v != m.maskValue();
        }
        out[b] = valid ? rows[b].clone() : new double[rows[b].length];
      }
      return new Out(one(out), null, null);
    } else if (layer instanceof Masking m) {
      double[][][] s = (double[][][]) x;
      double[][][] out = new double[s.length][s[0].length][];
      boolean[][] made = new boolean[s.length][s[0].length];
      for (int b = 0; b < s.length; b++) {
        for (int t = 0; t < s[b].length; t++) {
          for (double v : s[b][t]) {
            made[b][t] |= v != m.maskValue();
          }
          out[b][t] = made[b][t] ? s[b][t].clone() : new double[s[b][t].length];
        }
      }
      return new Out(one(out), made, null);
    } else if (layer instanceof Embedding e) {
      double[][] ids = (double[][]) x;
      double[][] table = matrix(w.get(0));
      double[][][] out = new double[ids.length][ids[0].length][];
      boolean[][] made = e.maskZero() ? new boolean[ids.length][ids[0].length] : null;
      for (int b = 0; b < ids.length; b++) {
        for (int t = 0; t < ids[b].length; t++) {
          out[b][t] = table[(int) ids[b][t]].clone();
          if (made != null) {
            made[b][t] = ids[b][t] != 0;
          }
        }
      }
      return new Out(one(out), made, null);
    } else if (layer instanceof RNN r) {
      Run run = rnn(r, w, (double[][][]) x, mask, init);
      return new Out(one(r.returnSequences() ? run.sequence : run.last), r.returnSequences() ? mask : null, run.states);
    } else if (layer instanceof Bidirectional bi) {
      int nf = bi.forwardLayer().cell().weightSpecs(inputShape[1]).size();
      int sf = bi.forwardLayer().cell().stateSizes().size();
      Run f = rnn(bi.forwardLayer(), w.subList(0, nf), (double[][][]) x, mask, init == null ? null : init.subList(0, sf));
      Run r = rnn(bi.backwardLayer(), w.subList(nf, w.size()), (double[][][]) x, mask, init == null ? null : init.subList(sf, init.size()));
      List<double[][]> states = new ArrayList<>(f.states);
      states.addAll(r.states);
      Object y = bi.returnSequences() ? f.sequence : f.last;
      Object yr = bi.returnSequences() ? reverse(r.sequence) : r.last;
      List<Object> outputs = bi.mergeMode() == MergeMode.NONE ? Arrays.asList(y, yr) : one(merge(bi.mergeMode(), y, yr));
      return new Out(outputs, bi.returnSequences() ? mask : null, states);
    } else if (layer instanceof Dense d) {
      return new Out(one(dense(d, w, x)), mask, null);
    } else if (layer instanceof TimeDistributed td) {
      // each sample's steps as a batch through the inner layer
      Object[] samples = (Object[]) x;
      Object[] out = new Object[samples.length];
      for (int b = 0; b < samples.length; b++) {
        out[b] = apply(td.layer(), w, one(samples[b]), td.stepShape(inputShape), null, null).outputs().get(0);
      }
      return new Out(one(stack(out)), mask, null);
    } else if (layer instanceof ActivationLayer a) {
      return new Out(one(map(x, a.activation())), mask, null);
    } else if (layer instanceof Flatten) {
      return new Out(one(flatten(x)), null, null);
    } else if (layer instanceof RepeatVector rv) {
      double[][] v = (double[][]) x;
      double[][][] out = new double[v.length][rv.n()][];
      for (int b = 0; b < v.length; b++) {
        for (int t = 0; t < rv.n(); t++) {
          out[b][t] = v[b].clone();
        }
      }
      return new Out(one(out), null, null);
    } else if (layer instanceof Conv1D c) {
      return new Out(one(OracleWindows.conv1d(c, w, (double[][][]) x)), null, null);
    } else if (layer instanceof org.rnn4j.layers.SeparableConv1D sc) {
      return new Out(one(OracleWindows.separableConv1d(sc, w, (double[][][]) x)), null, null);
    } else if (layer instanceof Pooling p) {
      return new Out(one(OracleWindows.pool(p, (double[][][]) x)), null, null);
    } else if (layer instanceof GlobalPooling gp) {
      return new Out(one(OracleWindows.globalPool(gp, (double[][][]) x, gp.kind() == Pooling.Kind.AVERAGE ? mask : null)), null, null);
    } else if (layer instanceof Normalization n) {
      return new Out(one(OracleWindows.normalize(n, w, x)), mask, null);
    } else if (layer instanceof Merge m) {
      return new Out(one(OracleGraph.merge(m, ins)), mask, null);
    } else if (layer instanceof Operation o) {
      return new Out(one(OracleGraph.operation(o, ins)), null, null);
    } else if (layer instanceof org.rnn4j.layers.NestedModel n) {
      // the nested model on its own, from its slice of the weights, in float64 throughout; masks end at its outputs
      Model inner = Model.of(n.model(), w);
      Call shapes = Call.of(ins.stream().map(Float64Oracle::tensor).toList()); // (no mask or states: only its inputs count)
      Chain c = n.model() instanceof Functional f ? graphRun(inner, f, shapes, ins) : chainRun(inner, (Sequential) n.model(), shapes, ins);
      return new Out(c.outputs(), null, null);
    } else if (layer instanceof Rectifier r) {
      return new Out(one(OracleShapes.rectify(r, w, x)), mask, null);
    } else if (layer instanceof Rearrange r) {
      return new Out(one(OracleShapes.rearrange(r, x)), null, null);
    } else if (layer instanceof InferenceIdentity) {
      return new Out(one(x), mask, null);
    }
    throw new IllegalArgumentException("oracle has no rule for " + layer.kerasClassName());
  }

  /** Samples of one rank as one batch-first array. */
  private static Object stack(Object[] samples) {
    if (samples[0] instanceof double[][][] c) {
      double[][][][] out = new double[samples.length][][][];
      for (int b = 0; b < samples.length; b++) {
        out[b] = (double[][][]) samples[b];
      }
      return out;
    }
    if (samples[0] instanceof double[][]) {
      double[][][] out = new double[samples.length][][];
      for (int b = 0; b < samples.length; b++) {
        out[b] = (double[][]) samples[b];
      }
      return out;
    }
    double[][] out = new double[samples.length][];
    for (int b = 0; b < samples.length; b++) {
      out[b] = (double[]) samples[b];
    }
    return out;
  }

  /** A one-element list (List.of would spread an array argument into its elements). */
  private static List<Object> one(Object x) {
    return java.util.Collections.singletonList(x);
  }

  private static List<Tensor> initialStates(Sequential arch, Call call, int layer) {
    if (call.initialStates().get(layer) != null) {
      return call.initialStates().get(layer);
    }
    if (call.initialState() != null && arch.recurrentLayers().equals(List.of(layer))) {
      return call.initialState();
    }
    return null;
  }

  private record Run(double[][][] sequence, double[][] last, List<double[][]> states) {}

  /** One cell's weights in float64: kernel (in, g·u), recurrent (u, g·u), bias rows. */
  private record CellWeights(SingleCell cell, double[][] kernel, double[][] recurrent, double[] inputBias, double[] recurrentBias) {}

  private static Run rnn(RNN layer, List<Tensor> w, double[][][] x, boolean[][] mask, List<Tensor> init) {
    List<SingleCell> cells = layer.cell().cells();
    List<CellWeights> cw = new ArrayList<>();
    int k = 0;
    for (SingleCell c : cells) {
      double[][] kernel = matrix(w.get(k++));
      double[][] rec = matrix(w.get(k++));
      double[] b0 = null;
      double[] b1 = null;
      if (c.useBias()) {
        Tensor bias = w.get(k++);
        if (bias.rank() == 2) {
          double[][] rows = matrix(bias);
          b0 = rows[0];
          b1 = rows[1];
        } else {
          b0 = vector(bias);
        }
      }
      cw.add(new CellWeights(c, kernel, rec, b0, b1));
    }
    int batch = x.length;
    int steps = x[0].length;
    // state[cell][s][b][j]
    List<double[][][]> state = new ArrayList<>();
    int flat = 0;
    for (SingleCell c : cells) {
      int n = c.stateSizes().size();
      double[][][] s = new double[n][batch][];
      for (int i = 0; i < n; i++) {
        for (int b = 0; b < batch; b++) {
          s[i][b] = init == null ? new double[c.units()] : vectorRow(init.get(flat), b);
        }
        flat++;
      }
      state.add(s);
    }
    int units = cells.get(cells.size() - 1).units();
    double[][][] seq = new double[batch][steps][];
    double[][] prev = new double[batch][units];
    for (int t = 0; t < steps; t++) {
      int ti = layer.goBackwards() ? steps - 1 - t : t;
      for (int b = 0; b < batch; b++) {
        if (mask == null || mask[b][ti]) {
          double[] in = x[b][ti];
          for (int c = 0; c < cells.size(); c++) {
            double[][][] s = state.get(c);
            double[][] now = new double[s.length][];
            for (int i = 0; i < s.length; i++) {
              now[i] = s[i][b];
            }
            double[][] next = step(cw.get(c), in, now);
            for (int i = 0; i < s.length; i++) {
              s[i][b] = next[i];
            }
            in = next[0];
          }
          prev[b] = in.clone();
        } else if (layer.zeroOutputForMask()) {
          prev[b] = new double[units];
        }
        seq[b][t] = prev[b].clone();
      }
    }
    List<double[][]> finals = new ArrayList<>();
    for (double[][][] s : state) {
      for (double[][] st : s) {
        finals.add(st);
      }
    }
    return new Run(seq, prev, finals);
  }

  private static double[][] step(CellWeights w, double[] x, double[][] states) {
    SingleCell cell = w.cell();
    int u = cell.units();
    double[] h = states[0];
    if (cell instanceof LSTMCell l) {
      double[] z = add(sum(matvec(x, w.kernel(), 0, 4 * u), matvec(h, w.recurrent(), 0, 4 * u)), w.inputBias(), 0, 4 * u);
      double[] i = f(l.recurrentActivation(), slice(z, 0, u));
      double[] fg = f(l.recurrentActivation(), slice(z, u, u));
      double[] g = f(l.activation(), slice(z, 2 * u, u));
      double[] o = f(l.recurrentActivation(), slice(z, 3 * u, u));
      double[] c = new double[u];
      for (int j = 0; j < u; j++) {
        c[j] = fg[j] * states[1][j] + i[j] * g[j];
      }
      double[] squashed = f(l.activation(), c);
      double[] hn = new double[u];
      for (int j = 0; j < u; j++) {
        hn[j] = o[j] * squashed[j];
      }
      return new double[][] {hn, c};
    }
    if (cell instanceof GRUCell g) {
      double[] xz = add(matvec(x, w.kernel(), 0, 3 * u), w.inputBias(), 0, 3 * u);
      double[] hn = new double[u];
      if (g.resetAfter()) {
        double[] hz = add(matvec(h, w.recurrent(), 0, 3 * u), w.recurrentBias(), 0, 3 * u);
        double[] z = f(g.recurrentActivation(), sum(slice(xz, 0, u), slice(hz, 0, u)));
        double[] r = f(g.recurrentActivation(), sum(slice(xz, u, u), slice(hz, u, u)));
        double[] pre = new double[u];
        for (int j = 0; j < u; j++) {
          pre[j] = xz[2 * u + j] + r[j] * hz[2 * u + j];
        }
        double[] hh = f(g.activation(), pre);
        for (int j = 0; j < u; j++) {
          hn[j] = z[j] * h[j] + (1 - z[j]) * hh[j];
        }
      } else {
        double[] hzr = matvec(h, w.recurrent(), 0, 2 * u);
        double[] z = f(g.recurrentActivation(), sum(slice(xz, 0, u), slice(hzr, 0, u)));
        double[] r = f(g.recurrentActivation(), sum(slice(xz, u, u), slice(hzr, u, u)));
        double[] rh = new double[u];
        for (int j = 0; j < u; j++) {
          rh[j] = r[j] * h[j];
        }
        double[] hh = f(g.activation(), sum(slice(xz, 2 * u, u), matvec(rh, w.recurrent(), 2 * u, u)));
        for (int j = 0; j < u; j++) {
          hn[j] = z[j] * h[j] + (1 - z[j]) * hh[j];
        }
      }
      return new double[][] {hn};
    }
    double[] a = add(sum(matvec(x, w.kernel(), 0, u), matvec(h, w.recurrent(), 0, u)), w.inputBias(), 0, u);
    return new double[][] {f(cell.activation(), a)};
  }

  /** The activation of one row, from its definition (not the backends' code). */
  private static double[] f(Activation a, double[] row) {
    return OracleActivations.apply(a, row);
  }

  private static double[] slice(double[] v, int from, int length) {
    return java.util.Arrays.copyOfRange(v, from, from + length);
  }

  /** v · m[:, col0 .. col0+width). */
  private static double[] matvec(double[] v, double[][] m, int col0, int width) {
    double[] out = new double[width];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < width; j++) {
        out[j] += v[i] * m[i][col0 + j];
      }
    }
    return out;
  }

  private static double[] sum(double[] a, double[] b) {
    double[] out = a.clone();
    for (int j = 0; j < out.length; j++) {
      out[j] += b[j];
    }
    return out;
  }

  private static double[] add(double[] a, double[] bias, int off, int width) {
    if (bias == null) {
      return a;
    }
    double[] out = a.clone();
    for (int j = 0; j < width; j++) {
      out[j] += bias[off + j];
    }
    return out;
  }

  private static Object dense(Dense d, List<Tensor> w, Object x) {
    double[][] kernel = matrix(w.get(0));
    double[] bias = d.useBias() ? vector(w.get(1)) : null;
    if (x instanceof double[][][] s) {
      double[][][] out = new double[s.length][][];
      for (int b = 0; b < s.length; b++) {
        out[b] = (double[][]) dense(d, w, s[b]);
      }
      return out;
    }
    double[][] m = (double[][]) x;
    double[][] out = new double[m.length][];
    for (int b = 0; b < m.length; b++) {
      out[b] = f(d.activation(), add(matvec(m[b], kernel, 0, d.units()), bias, 0, d.units()));
    }
    return out;
  }

  private static Object map(Object x, Activation a) {
    if (x instanceof double[][][] s) {
      double[][][] out = new double[s.length][][];
      for (int b = 0; b < s.length; b++) {
        out[b] = (double[][]) map(s[b], a);
      }
      return out;
    }
    double[][] m = (double[][]) x;
    double[][] out = new double[m.length][];
    for (int b = 0; b < m.length; b++) {
      out[b] = f(a, m[b]);
    }
    return out;
  }

  private static Object merge(MergeMode mode, Object a, Object b) {
    if (a instanceof double[][][] s) {
      double[][][] r = (double[][][]) b;
      double[][][] out = new double[s.length][][];
      for (int i = 0; i < s.length; i++) {
        out[i] = (double[][]) merge(mode, s[i], r[i]);
      }
      return out;
    }
    double[][] f = (double[][]) a;
    double[][] r = (double[][]) b;
    double[][] out = new double[f.length][];
    for (int i = 0; i < f.length; i++) {
      if (mode == MergeMode.CONCAT) {
        out[i] = new double[f[i].length + r[i].length];
        System.arraycopy(f[i], 0, out[i], 0, f[i].length);
        System.arraycopy(r[i], 0, out[i], f[i].length, r[i].length);
        continue;
      }
      out[i] = new double[f[i].length];
      for (int j = 0; j < f[i].length; j++) {
        out[i][j] =
            switch (mode) {
              case SUM -> f[i][j] + r[i][j];
              case MUL -> f[i][j] * r[i][j];
              case AVE -> (f[i][j] + r[i][j]) / 2;
              default -> throw new IllegalArgumentException(mode.toString());
            };
      }
    }
    return out;
  }

  private static double[][][] reverse(double[][][] s) {
    double[][][] out = new double[s.length][s[0].length][];
    for (int b = 0; b < s.length; b++) {
      for (int t = 0; t < s[b].length; t++) {
        out[b][t] = s[b][s[b].length - 1 - t];
      }
    }
    return out;
  }

  private static double[][] flatten(Object x) {
    if (x instanceof double[][] m) {
      return m;
    }
    double[][][] s = (double[][][]) x;
    double[][] out = new double[s.length][];
    for (int b = 0; b < s.length; b++) {
      int n = 0;
      for (double[] row : s[b]) {
        n += row.length;
      }
      out[b] = new double[n];
      int pos = 0;
      for (double[] row : s[b]) {
        System.arraycopy(row, 0, out[b], pos, row.length);
        pos += row.length;
      }
    }
    return out;
  }

  // Conversions between tensors and nested double arrays.

  static double[][][] cube(Tensor t) {
    int[] s = t.shape();
    double[][][] out = new double[s[0]][s[1]][s[2]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        for (int k = 0; k < s[2]; k++) {
          out[i][j][k] = t.get(i, j, k);
        }
      }
    }
    return out;
  }

  static double[][] matrix(Tensor t) {
    int[] s = t.shape();
    double[][] out = new double[s[0]][s[1]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        out[i][j] = t.get(i, j);
      }
    }
    return out;
  }

  static double[] vector(Tensor t) {
    double[] out = new double[t.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getFlat(i);
    }
    return out;
  }

  private static double[] vectorRow(Tensor t, int row) {
    double[] out = new double[t.dim(1)];
    for (int j = 0; j < out.length; j++) {
      out[j] = t.get(row, j);
    }
    return out;
  }

  private static boolean[][] mask(Mask m) {
    boolean[][] out = new boolean[m.batch()][m.steps()];
    for (int b = 0; b < m.batch(); b++) {
      for (int t = 0; t < m.steps(); t++) {
        out[b][t] = m.isValid(b, t);
      }
    }
    return out;
  }

  private static List<Tensor> tensors(List<double[][]> states) {
    List<Tensor> out = new ArrayList<>();
    states.forEach(s -> out.add(tensor(s)));
    return out;
  }

  static Tensor tensor(Object x) {
    if (x instanceof double[][][][] q) {
      int d1 = q[0].length;
      int d2 = q[0][0].length;
      int d3 = q[0][0][0].length;
      float[] data = new float[q.length * d1 * d2 * d3];
      int p = 0;
      for (double[][][] a : q) {
        for (double[][] b : a) {
          for (double[] row : b) {
            for (double v : row) {
              data[p++] = (float) v;
            }
          }
        }
      }
      return Tensor.wrap(new int[] {q.length, d1, d2, d3}, data);
    }
    if (x instanceof double[][][] s) {
      int d1 = s[0].length;
      int d2 = s[0][0].length;
      float[] data = new float[s.length * d1 * d2];
      int p = 0;
      for (double[][] a : s) {
        for (double[] row : a) {
          for (double v : row) {
            data[p++] = (float) v;
          }
        }
      }
      return Tensor.wrap(new int[] {s.length, d1, d2}, data);
    }
    double[][] m = (double[][]) x;
    float[] data = new float[m.length * m[0].length];
    int p = 0;
    for (double[] row : m) {
      for (double v : row) {
        data[p++] = (float) v;
      }
    }
    return Tensor.wrap(new int[] {m.length, m[0].length}, data);
  }
}

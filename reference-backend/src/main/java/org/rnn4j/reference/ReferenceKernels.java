package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Attention;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.MultiHeadAttention;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Operation;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.spi.AttentionMasks;
import org.rnn4j.spi.Kernels;
import org.rnn4j.spi.LayerWeights;
import org.rnn4j.spi.RecurrentCall;
import org.rnn4j.spi.RecurrentOutput;

/**
 * The reference backend's operations on {@link Buf}s, for one call. Converted weights come from the
 * prepared model's {@link WeightCache}; scratch arrays from the call's {@link Workspace}. Recurrent
 * and dense layers run on the exact path (double accumulation, one row and step at a time) or the
 * fast one (SIMD GEMM, threads), as the backend was configured; both through the one {@link
 * RecurrentLoop}.
 */
final class ReferenceKernels implements Kernels<Buf> {
  private final ReferenceEngine engine;
  private final Workspace ws;

  /** The call's workspace (a gradient call borrows an idle kernels' workspace for its own kernels). */
  Workspace workspace() {
    return ws;
  }

  ReferenceKernels(ReferenceEngine engine, Workspace ws) {
    this.engine = engine;
    this.ws = ws;
  }

  @Override
  public RecurrentOutput<Buf> recurrent(RecurrentCall<Buf> call) {
    return recurrent(call, null);
  }

  /** A recurrent layer's run, recording what its backward pass needs in {@code record} when not null. */
  RecurrentOutput<Buf> recurrent(RecurrentCall<Buf> call, RecurrentLoop.Recording record) {
    String key = call.weights().key();
    int in = call.input().dim(2);
    List<? extends CellMath> cells = engine.exact()
        ? engine.weights().exactCells(key, call.layer().cell(), in, call.weights().values())
        : engine.weights().fastCells(key, call.layer().cell(), in, call.weights().values());
    return engine.loop().run(call.layer(), cells, call.input(), call.mask(), call.initialState(), call.returnSequence(), ws, record);
  }

  @Override
  public Buf maskFromValues(Buf input, float maskValue) {
    int features = input.dim(-1);
    int rows = input.data.length / features;
    float[] mask = new float[rows];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < features; f++) {
        // NaN differs from every mask value, as in Keras (not_equal)
        if (!(input.data[r * features + f] == maskValue)) {
          mask[r] = 1f;
          break;
        }
      }
    }
    return new Buf(java.util.Arrays.copyOf(input.shape, input.shape.length - 1), mask);
  }

  @Override
  public Buf applyMask(Buf input, Buf mask) {
    int features = input.dim(-1);
    float[] out = new float[input.data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = input.data[i] * mask.data[i / features];
    }
    return new Buf(input.shape.clone(), out);
  }

  @Override
  public Buf maskFromIds(Buf ids) {
    float[] mask = new float[ids.data.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = ids.data[i] != 0f ? 1f : 0f;
    }
    return new Buf(ids.shape.clone(), mask);
  }

  @Override
  public Buf embedding(Embedding layer, LayerWeights weights, Buf ids) {
    float[] table = weights.get(0).toArray();
    int dim = layer.outputDim();
    float[] out = new float[ids.data.length * dim];
    for (int i = 0; i < ids.data.length; i++) {
      System.arraycopy(table, (int) ids.data[i] * dim, out, i * dim, dim);
    }
    return new Buf(new int[] {ids.dim(0), ids.dim(1), dim}, out);
  }

  @Override
  public Buf dense(Dense layer, LayerWeights weights, Buf x) {
    return engine.exact() ? exactDense(layer, weights, x) : fastDense(layer, weights, x);
  }

  /** {@code activation(x·W + b)} as one GEMM over every row. */
  private Buf fastDense(Dense layer, LayerWeights weights, Buf x) {
    FastDense dense = engine.weights().fastDense(weights.key(), layer, weights.values());
    int rows = x.data.length / dense.in;
    float[] out = new float[rows * layer.units()];
    dense.apply(engine.simd(), x.data, rows, ws.get(Workspace.Slot.OUTPUT, rows * dense.scratchWidth()), out);
    int[] shape = x.shape.clone();
    shape[shape.length - 1] = layer.units();
    return new Buf(shape, out);
  }

  private Buf exactDense(Dense layer, LayerWeights weights, Buf x) {
    int in = x.dim(-1);
    int units = layer.units();
    float[] kernel = weights.get(0).toArray();
    float[] bias = layer.useBias() ? weights.get(1).toArray() : null;
    int rows = x.data.length / in;
    float[] out = new float[rows * units];
    double[] acc = new double[units];
    Activation act = layer.activation();
    for (int r = 0; r < rows; r++) {
      MatVec.init(acc, bias, 0, units);
      MatVec.accumulate(acc, x.data, r * in, in, kernel, units, 0, units);
      for (int j = 0; j < units; j++) {
        out[r * units + j] = (float) acc[j];
      }
      act.applyRow(out, r * units, units, out, r * units);
    }
    int[] shape = x.shape.clone();
    shape[shape.length - 1] = units;
    return new Buf(shape, out);
  }

  @Override
  public Buf activation(Activation activation, Buf x) {
    int width = x.dim(-1);
    int[] shape = x.shape.clone();
    shape[shape.length - 1] = activation.outputWidth(width);
    float[] out = new float[x.data.length / width * shape[shape.length - 1]];
    apply(activation, x.data, width, out);
    return new Buf(shape, out);
  }

  /**
   * The activation of every row of {@code width} values of {@code x} into {@code out}, by the
   * activation's exact definition.
   */
  static void apply(Activation activation, float[] x, int width, float[] out) {
    int outWidth = activation.outputWidth(width);
    for (int r = 0, rows = x.length / width; r < rows; r++) {
      activation.applyRow(x, r * width, width, out, r * outWidth);
    }
  }

  @Override
  public Buf reverseTime(Buf sequence) {
    int batch = sequence.dim(0);
    int steps = sequence.dim(1);
    int width = sequence.data.length / (batch * steps);
    float[] out = new float[sequence.data.length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(sequence.data, (b * steps + t) * width, out, (b * steps + steps - 1 - t) * width, width);
      }
    }
    return new Buf(sequence.shape.clone(), out);
  }

  @Override
  public Buf merge(MergeMode mode, Buf forward, Buf backward) {
    if (mode == MergeMode.CONCAT) {
      int fw = forward.dim(-1);
      int bw = backward.dim(-1);
      int rows = forward.data.length / fw;
      float[] out = new float[rows * (fw + bw)];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(forward.data, r * fw, out, r * (fw + bw), fw);
        System.arraycopy(backward.data, r * bw, out, r * (fw + bw) + fw, bw);
      }
      int[] shape = forward.shape.clone();
      shape[shape.length - 1] = fw + bw;
      return new Buf(shape, out);
    }
    float[] out = new float[forward.data.length];
    for (int i = 0; i < out.length; i++) {
      float f = forward.data[i];
      float b = backward.data[i];
      out[i] =
          switch (mode) {
            case SUM -> f + b;
            case MUL -> f * b;
            case AVE -> (f + b) / 2f;
            default -> throw new IllegalArgumentException("merge mode " + mode);
          };
    }
    return new Buf(forward.shape.clone(), out);
  }

  @Override
  public Buf flatten(Buf x) {
    return new Buf(new int[] {x.dim(0), x.data.length / x.dim(0)}, x.data);
  }

  @Override
  public Buf repeat(Buf x, int n) {
    int batch = x.dim(0);
    int f = x.dim(1);
    float[] out = new float[batch * n * f];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < n; t++) {
        System.arraycopy(x.data, b * f, out, (b * n + t) * f, f);
      }
    }
    return new Buf(new int[] {batch, n, f}, out);
  }

  @Override
  public Buf conv1d(Conv1D layer, LayerWeights weights, Buf x) {
    return WindowOps.conv1d(layer, weights, x);
  }

  @Override
  public Buf pool(Pooling layer, Buf x) {
    return WindowOps.pool(layer, x);
  }

  @Override
  public Buf globalPool(GlobalPooling layer, Buf x, Buf mask) {
    return WindowOps.globalPool(layer, x, mask);
  }

  @Override
  public Buf normalize(Normalization layer, LayerWeights weights, Buf x) {
    return WindowOps.normalize(layer, weights, x);
  }

  @Override
  public Buf combine(Merge layer, List<Buf> inputs) {
    return GraphOps.combine(layer, inputs);
  }

  @Override
  public Buf operation(Operation operation, List<Buf> inputs) {
    return GraphOps.operation(operation, inputs);
  }

  @Override
  public Buf rectify(Rectifier layer, LayerWeights weights, Buf x) {
    return GraphOps.rectify(layer, weights, x);
  }

  @Override
  public Buf rearrange(Rearrange layer, Buf x) {
    return GraphOps.rearrange(layer, x);
  }

  @Override
  public List<Buf> attention(Attention layer, LayerWeights weights, List<Buf> inputs, AttentionMasks<Buf> masks) {
    return AttentionOps.attention(layer, weights, inputs, masks);
  }

  @Override
  public List<Buf> multiHeadAttention(MultiHeadAttention layer, LayerWeights weights, List<Buf> inputs, AttentionMasks<Buf> masks) {
    return AttentionOps.multiHead(layer, weights, inputs, masks);
  }

  @Override
  public Buf foldTime(Buf x) {
    int[] shape = new int[x.shape.length - 1];
    shape[0] = x.dim(0) * x.dim(1);
    System.arraycopy(x.shape, 2, shape, 1, shape.length - 1);
    return new Buf(shape, x.data);
  }

  @Override
  public Buf unfoldTime(Buf y, Buf like) {
    int[] shape = new int[y.shape.length + 1];
    shape[0] = like.dim(0);
    shape[1] = like.dim(1);
    System.arraycopy(y.shape, 1, shape, 2, y.shape.length - 1);
    return new Buf(shape, y.data);
  }
}

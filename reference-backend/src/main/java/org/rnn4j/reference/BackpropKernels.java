package org.rnn4j.reference;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Attention;
import org.rnn4j.layers.Conv1D;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.GlobalPooling;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.MultiHeadAttention;
import org.rnn4j.layers.Normalization;
import org.rnn4j.layers.Operation;
import org.rnn4j.layers.Pooling;
import org.rnn4j.layers.Rearrange;
import org.rnn4j.layers.Rectifier;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.spi.AttentionMasks;
import org.rnn4j.spi.Kernels;
import org.rnn4j.spi.LayerWeights;
import org.rnn4j.spi.RecurrentCall;
import org.rnn4j.spi.RecurrentOutput;

/**
 * Reverse-mode differentiation of one model call on the reference backend. Runs every operation
 * forward with the backend's own kernels (so {@link org.rnn4j.spi.ModelExecutor}'s layer semantics
 * are the same as for a plain call) and records, per operation, how to send the gradients of its
 * outputs back to its inputs and weights. {@link #backward} replays those records in reverse.
 * Gradients are kept per buffer (by identity) and per weight tensor, summed where a value feeds
 * several operations.
 */
final class BackpropKernels implements Kernels<Buf> {
  private final ReferenceEngine engine;
  private final ReferenceKernels forward;
  private final List<Runnable> records = new ArrayList<>();
  /** The call's workspace: the forward pass's recordings and the backward pass's large arrays come from it. */
  private final Workspace ws;
  private final Map<Buf, float[]> grads = new IdentityHashMap<>();
  /**
   * Each weight's gradient, summed in float32 as TensorFlow sums a shared weight's (a weight with
   * one contribution, as most have, gets it unrounded), in arrays reused from call to call like the
   * recordings: the results are copies, made last, so that a call holds no large new array while it runs.
   */
  private final Map<Tensor, float[]> weightGrads = new IdentityHashMap<>();

  /** @param weights every weight of the model, whose gradients are collected */
  BackpropKernels(ReferenceEngine engine, Workspace ws, List<Tensor> weights) {
    this.engine = engine;
    this.ws = ws;
    this.forward = new ReferenceKernels(engine, ws);
    for (Tensor w : weights) {
      weightGrads.put(w, ws.recordedZeroed(w.size()));
    }
  }

  /** Seeds the gradient of {@code output} and runs every record backwards. */
  void backward(Buf output, float[] gradient) {
    add(output, gradient);
    for (int i = records.size() - 1; i >= 0; i--) {
      records.get(i).run();
    }
  }

  /** The gradient that reached {@code b}, or zeros. */
  Tensor gradient(Buf b) {
    float[] g = grads.get(b);
    // the call's own array, done with once the pass is over: a tensor takes it without a copy
    return Tensor.wrap(b.shape.clone(), g == null ? new float[b.data.length] : g);
  }

  /** A weight's gradient, in its shape (after {@link #backward}). */
  Tensor weightGradient(Tensor weight) {
    return Tensor.wrap(weight.shape(), java.util.Arrays.copyOf(weightGrads.get(weight), weight.size()));
  }

  /** Records an operation's backward step: {@code backward} runs with the gradient of {@code out}, if any reached it. */
  private void onGradient(Buf out, java.util.function.Consumer<float[]> backward) {
    records.add(() -> {
      float[] dy = reached(out);
      if (dy != null) {
        backward.accept(dy);
      }
    });
  }

  /** The gradient of {@code b} so far, or null when none reached it. */
  private float[] reached(Buf b) {
    return b == null ? null : grads.get(b);
  }

  private float[] grad(Buf b) {
    return grads.computeIfAbsent(b, k -> new float[k.data.length]);
  }

  private void add(Buf b, float[] g) {
    float[] to = grad(b);
    for (int i = 0; i < g.length; i++) {
      to[i] += g[i];
    }
  }

  /** {@link #add(Buf, float[])} of an array no one else holds: the first gradient to reach {@code b} is taken as it is. */
  private void addOwned(Buf b, float[] g) {
    if (grads.containsKey(b)) {
      add(b, g);
    } else {
      grads.put(b, g);
    }
  }

  private void add(Buf b, double[] g) {
    float[] to = grad(b);
    for (int i = 0; i < g.length; i++) {
      to[i] += (float) g[i];
    }
  }

  private void addWeight(Tensor w, double[] g) {
    float[] to = weightGrads.get(w);
    for (int i = 0; i < g.length; i++) {
      to[i] += (float) g[i];
    }
  }

  @Override
  public RecurrentOutput<Buf> recurrent(RecurrentCall<Buf> call) {
    RecurrentLoop.Recording rec = new RecurrentLoop.Recording();
    RecurrentOutput<Buf> out = forward.recurrent(call, rec);
    records.add(() -> {
      float[] dSequence = reached(out.sequence());
      float[] dLast = reached(out.last());
      List<float[]> dFinals = new ArrayList<>();
      boolean any = dSequence != null || dLast != null;
      for (Buf s : out.states()) {
        dFinals.add(reached(s));
        any |= reached(s) != null;
      }
      if (!any) {
        return;
      }
      List<CellBackprop> cells = new ArrayList<>();
      List<Integer> units = new ArrayList<>();
      List<FastCell> packed = engine.weights().fastCells(call.weights().key(), call.layer().cell(), call.input().dim(2), call.weights().values());
      int w = 0;
      for (SingleCell cell : call.layer().cell().cells()) {
        FastCell f = packed.get(cells.size());
        // each cell adds its weight gradients straight into the call's
        float[] dKernel = weightGrads.get(call.weights().get(w++));
        float[] dRecurrent = weightGrads.get(call.weights().get(w++));
        float[] dBias = cell.useBias() ? weightGrads.get(call.weights().get(w++)) : null;
        cells.add(new CellBackprop(f, dKernel, dRecurrent, dBias, engine.simd(), engine.loop(), ws));
        units.add(cell.units());
      }
      RecurrentBackprop.Grads g = RecurrentBackprop.run(call.layer(), cells, units, rec, dSequence, dLast, dFinals);
      addOwned(call.input(), g.input());
      if (call.initialState() != null) {
        for (int s = 0; s < g.initial().size(); s++) {
          add(call.initialState().get(s), g.initial().get(s));
        }
      }
    });
    return out;
  }

  @Override
  public Buf maskFromValues(Buf input, float maskValue) {
    return forward.maskFromValues(input, maskValue); // a mask carries no gradient
  }

  @Override
  public Buf applyMask(Buf input, Buf mask) {
    Buf out = forward.applyMask(input, mask);
    onGradient(out, dy -> {
      int features = input.dim(-1);
      float[] dx = grad(input);
      for (int i = 0; i < dy.length; i++) {
        dx[i] += dy[i] * mask.data[i / features];
      }
    });
    return out;
  }

  @Override
  public Buf maskFromIds(Buf ids) {
    return forward.maskFromIds(ids);
  }

  @Override
  public Buf embedding(Embedding layer, LayerWeights weights, Buf ids) {
    Buf out = forward.embedding(layer, weights, ids);
    onGradient(out, dy -> {
      int dim = layer.outputDim();
      double[] dTable = new double[weights.get(0).size()];
      for (int i = 0; i < ids.data.length; i++) {
        int id = (int) ids.data[i];
        for (int j = 0; j < dim; j++) {
          dTable[id * dim + j] += dy[i * dim + j];
        }
      }
      addWeight(weights.get(0), dTable);
    });
    return out;
  }

  /** {@code activation(x·W + b)}: the linear part and the activation, each recorded. */
  @Override
  public Buf dense(Dense layer, LayerWeights weights, Buf x) {
    // its own cache key: the packed weights of the linear layer differ from the activated one's
    Buf z = forward.dense(layer.linear(), new LayerWeights(weights.key() + " (linear)", weights.values()), x);
    int in = x.dim(-1);
    int units = layer.units();
    onGradient(z, dz -> {
      float[] kernel = weights.get(0).toArray();
      int rows = x.data.length / in;
      double[] dKernel = new double[kernel.length];
      double[] dBias = layer.useBias() ? new double[units] : null;
      double[] dx = new double[x.data.length];
      for (int r = 0; r < rows; r++) {
        for (int k = 0; k < in; k++) {
          double xk = x.data[r * in + k];
          double s = 0;
          for (int j = 0; j < units; j++) {
            double d = dz[r * units + j];
            s += d * kernel[k * units + j];
            dKernel[k * units + j] += xk * d;
          }
          dx[r * in + k] = s;
        }
        if (dBias != null) {
          for (int j = 0; j < units; j++) {
            dBias[j] += dz[r * units + j];
          }
        }
      }
      add(x, dx);
      addWeight(weights.get(0), dKernel);
      if (dBias != null) {
        addWeight(weights.get(1), dBias);
      }
    });
    return activation(layer.activation(), z);
  }

  @Override
  public Buf activation(Activation activation, Buf x) {
    if (activation == Activation.LINEAR) {
      return x;
    }
    Buf y = forward.activation(activation, x);
    onGradient(y, dy -> {
      int width = x.dim(-1);
      int outWidth = activation.outputWidth(width); // crelu and glu resize the last axis
      double[] row = new double[outWidth];
      double[] dRow = new double[width];
      float[] dx = grad(x);
      for (int r = 0, rows = x.data.length / width; r < rows; r++) {
        for (int j = 0; j < outWidth; j++) {
          row[j] = dy[r * outWidth + j];
        }
        activation.backwardRow(x.data, r * width, activation.elementwise() || outWidth != width ? null : y.data, r * width, width, row, dRow);
        for (int j = 0; j < width; j++) {
          dx[r * width + j] += (float) dRow[j];
        }
      }
    });
    return y;
  }

  @Override
  public Buf reverseTime(Buf sequence) {
    Buf out = forward.reverseTime(sequence);
    onGradient(out, dy -> {
      add(sequence, forward.reverseTime(new Buf(out.shape, dy)).data);
    });
    return out;
  }

  @Override
  public Buf merge(MergeMode mode, Buf fw, Buf bw) {
    Buf out = forward.merge(mode, fw, bw);
    onGradient(out, dy -> {
      float[] df = grad(fw);
      float[] db = grad(bw);
      if (mode == MergeMode.CONCAT) {
        int a = fw.dim(-1);
        int c = bw.dim(-1);
        for (int r = 0, rows = fw.data.length / a; r < rows; r++) {
          for (int j = 0; j < a; j++) {
            df[r * a + j] += dy[r * (a + c) + j];
          }
          for (int j = 0; j < c; j++) {
            db[r * c + j] += dy[r * (a + c) + a + j];
          }
        }
        return;
      }
      for (int i = 0; i < dy.length; i++) {
        switch (mode) {
          case SUM -> {
            df[i] += dy[i];
            db[i] += dy[i];
          }
          case MUL -> {
            df[i] += dy[i] * bw.data[i];
            db[i] += dy[i] * fw.data[i];
          }
          case AVE -> {
            df[i] += dy[i] / 2f;
            db[i] += dy[i] / 2f;
          }
          default -> throw new IllegalArgumentException("merge mode " + mode);
        }
      }
    });
    return out;
  }

  /** A record for an operation that only reshapes: the gradient passes element for element. */
  private Buf reshaped(Buf in, Buf out) {
    onGradient(out, dy -> {
      add(in, dy);
    });
    return out;
  }

  @Override
  public Buf flatten(Buf x) {
    return reshaped(x, new Buf(new int[] {x.dim(0), x.data.length / x.dim(0)}, x.data));
  }

  @Override
  public Buf repeat(Buf x, int n) {
    Buf out = forward.repeat(x, n);
    onGradient(out, dy -> {
      int f = x.dim(1);
      float[] dx = grad(x);
      for (int b = 0; b < x.dim(0); b++) {
        for (int t = 0; t < n; t++) {
          for (int j = 0; j < f; j++) {
            dx[b * f + j] += dy[(b * n + t) * f + j];
          }
        }
      }
    });
    return out;
  }

  @Override
  public Buf foldTime(Buf x) {
    return reshaped(x, forward.foldTime(x));
  }

  @Override
  public Buf unfoldTime(Buf y, Buf like) {
    return reshaped(y, forward.unfoldTime(y, like));
  }



  /** The convolution (recorded), then its activation (recorded apart). */
  @Override
  public Buf conv1d(Conv1D layer, LayerWeights weights, Buf x) {
    Buf z = forward.conv1d(layer.linear(), weights, x);
    onGradient(z, dz -> {
      WindowOps.Conv1dGradients g = WindowOps.conv1dBackward(layer, weights, x, dz);
      add(x, g.input());
      addWeight(weights.get(0), g.kernel());
      if (layer.useBias()) {
        addWeight(weights.get(1), g.bias());
      }
    });
    return activation(layer.activation(), z);
  }

  @Override
  public Buf pool(Pooling layer, Buf x) {
    Buf out = forward.pool(layer, x);
    onGradient(out, dy -> {
      add(x, WindowOps.poolBackward(layer, x, out, dy));
    });
    return out;
  }

  @Override
  public Buf globalPool(GlobalPooling layer, Buf x, Buf mask) {
    Buf out = forward.globalPool(layer, x, mask);
    onGradient(out, dy -> {
      add(x, WindowOps.globalPoolBackward(layer, x, mask, out, dy));
    });
    return out;
  }

  @Override
  public Buf normalize(Normalization layer, LayerWeights weights, Buf x) {
    Buf out = forward.normalize(layer, weights, x);
    onGradient(out, dy -> {
      List<double[]> g = WindowOps.normalizeBackward(layer, weights, x, dy);
      add(x, g.get(0));
      for (int i = 1; i < g.size(); i++) {
        addWeight(weights.get(i - 1), g.get(i));
      }
    });
    return out;
  }

  /** Concatenate splits the gradient; Add, Subtract, Average pass it (signed, scaled); Multiply by the other inputs; Maximum and Minimum to the input chosen. */
  @Override
  public Buf combine(Merge layer, List<Buf> inputs) {
    Buf out = forward.combine(layer, inputs);
    if (layer.kind() == Merge.Kind.DOT) {
      onGradient(out, dy -> {
        double[][] g = GraphOps.dotBackward(layer, inputs.get(0), inputs.get(1), dy);
        add(inputs.get(0), g[0]);
        add(inputs.get(1), g[1]);
      });
      return out;
    }
    onGradient(out, dy -> {
      switch (layer.kind()) {
        case CONCATENATE -> {
          int axis = layer.axis(out.shape.length - 1) + 1;
          int outer = 1;
          for (int d = 0; d < axis; d++) {
            outer *= out.shape[d];
          }
          int total = dy.length / outer;
          int pos = 0;
          for (Buf in : inputs) {
            int block = in.data.length / outer;
            float[] dx = grad(in);
            for (int o = 0; o < outer; o++) {
              for (int i = 0; i < block; i++) {
                dx[o * block + i] += dy[o * total + pos + i];
              }
            }
            pos += block;
          }
        }
        case ADD, AVERAGE, SUBTRACT -> {
          for (int k = 0; k < inputs.size(); k++) {
            float scale = layer.kind() == Merge.Kind.AVERAGE ? 1f / inputs.size() : layer.kind() == Merge.Kind.SUBTRACT && k == 1 ? -1f : 1f;
            float[] dx = grad(inputs.get(k));
            for (int i = 0; i < dy.length; i++) {
              dx[i] += dy[i] * scale;
            }
          }
        }
        case MULTIPLY -> {
          for (int k = 0; k < inputs.size(); k++) {
            float[] dx = grad(inputs.get(k));
            for (int i = 0; i < dy.length; i++) {
              float others = 1f;
              for (int j = 0; j < inputs.size(); j++) {
                others *= j == k ? 1f : inputs.get(j).data[i];
              }
              dx[i] += dy[i] * others;
            }
          }
        }
        case MAXIMUM, MINIMUM -> {
          // as TensorFlow's gradient of each pairwise maximum (minimum): a tie goes to the earlier input
          boolean max = layer.kind() == Merge.Kind.MAXIMUM;
          for (int i = 0; i < dy.length; i++) {
            int chosen = 0;
            float best = inputs.get(0).data[i];
            for (int k = 1; k < inputs.size(); k++) {
              float v = inputs.get(k).data[i];
              if (max ? !(best >= v) : !(best <= v)) {
                chosen = k;
                best = v;
              }
            }
            grad(inputs.get(chosen))[i] += dy[i];
          }
        }
        default -> throw new IllegalStateException(layer.kind().name());
      }
    });
    return out;
  }

  /**
   * A keras.ops node: arithmetic passes its derivative to each tensor operand; comparisons, logic
   * and casts to int or bool are piecewise constant and pass nothing (as TensorFlow's have no gradient).
   */
  @Override
  public Buf operation(Operation operation, List<Buf> inputs) {
    Buf out = forward.operation(operation, inputs);
    Operation.Kind kind = operation.kind();
    boolean differentiable = switch (kind) {
      case ADD, SUBTRACT, MULTIPLY, DIVIDE, MAXIMUM, MINIMUM, NEGATIVE, CAST_FLOAT -> true;
      default -> false;
    };
    if (!differentiable) {
      return out;
    }
    onGradient(out, dy -> {
      List<Float> operands = operation.operands();
      for (int i = 0; i < dy.length; i++) {
        int next = 0;
        Buf ta = operands.get(0) == null ? inputs.get(next++) : null;
        Buf tb = operands.size() > 1 && operands.get(1) == null ? inputs.get(next) : null;
        float a = ta != null ? ta.data[i] : operands.get(0);
        float b = operands.size() < 2 ? 0f : tb != null ? tb.data[i] : operands.get(1);
        // d out / d a and d out / d b; a tie of maximum or minimum goes to the first operand, as TensorFlow's
        float da;
        float db;
        switch (kind) {
          case ADD -> { da = 1f; db = 1f; }
          case SUBTRACT -> { da = 1f; db = -1f; }
          case MULTIPLY -> { da = b; db = a; }
          case DIVIDE -> { da = 1f / b; db = -a / (b * b); }
          case MAXIMUM -> { da = a >= b ? 1f : 0f; db = 1f - da; }
          case MINIMUM -> { da = a <= b ? 1f : 0f; db = 1f - da; }
          case NEGATIVE -> { da = -1f; db = 0f; }
          default -> { da = 1f; db = 0f; } // CAST_FLOAT
        }
        if (ta != null) {
          grad(ta)[i] += dy[i] * da;
        }
        if (tb != null) {
          grad(tb)[i] += dy[i] * db;
        }
      }
    });
    return out;
  }

  /** A parametric activation layer, element by element; PReLU's alpha gathers its shared elements' gradients. */
  @Override
  public Buf rectify(Rectifier layer, LayerWeights weights, Buf x) {
    Buf out = forward.rectify(layer, weights, x);
    onGradient(out, dy -> {
      float[] dx = grad(x);
      int per = x.data.length / x.dim(0);
      int[] sample = java.util.Arrays.copyOfRange(x.shape, 1, x.shape.length);
      Tensor alpha = layer.kind() == Rectifier.Kind.PRELU ? weights.get(0) : null;
      double[] dAlpha = alpha == null ? null : new double[alpha.size()];
      int[] index = new int[sample.length];
      for (int e = 0; e < per; e++) {
        int at = 0;
        if (alpha != null) {
          int rest = e;
          for (int d = sample.length - 1; d >= 0; d--) {
            index[d] = alpha.dim(d) == 1 ? 0 : rest % sample[d];
            rest /= sample[d];
          }
          for (int d = 0; d < sample.length; d++) {
            at = at * alpha.dim(d) + index[d];
          }
        }
        float a = alpha == null ? 0f : alpha.getFlat(at);
        for (int b = 0; b < x.dim(0); b++) {
          int i = b * per + e;
          dx[i] += (float) (dy[i] * layer.derivative(x.data[i], a));
          if (dAlpha != null) {
            dAlpha[at] += dy[i] * layer.alphaDerivative(x.data[i]);
          }
        }
      }
      if (dAlpha != null) {
        addWeight(alpha, dAlpha);
      }
    });
    return out;
  }

  /** A layer that moves values: each output element's gradient goes back to the element it copied (none for a padded zero). */
  @Override
  public Buf rearrange(Rearrange layer, Buf x) {
    Buf out = forward.rearrange(layer, x);
    onGradient(out, dy -> {
      int[] sources = layer.sources(java.util.Arrays.copyOfRange(x.shape, 1, x.shape.length));
      int per = x.data.length / x.dim(0);
      float[] dx = grad(x);
      for (int b = 0; b < x.dim(0); b++) {
        for (int i = 0; i < sources.length; i++) {
          if (sources[i] >= 0) {
            dx[b * per + sources[i]] += dy[b * sources.length + i];
          }
        }
      }
    });
    return out;
  }

  @Override
  public List<Buf> attention(Attention layer, LayerWeights weights, List<Buf> inputs, AttentionMasks<Buf> masks) {
    List<Buf> out = forward.attention(layer, weights, inputs, masks);
    records.add(() -> {
      float[] dResult = reached(out.get(0));
      float[] dProbabilities = reached(out.get(1));
      if (dResult == null && dProbabilities == null) {
        return;
      }
      AttentionOps.Gradients g = AttentionOps.attentionBackward(layer, weights, inputs, masks.query(), out.get(1), dResult, dProbabilities);
      add(inputs.get(0), g.query());
      add(inputs.get(1), g.value());
      if (inputs.size() > 2) {
        add(inputs.get(2), g.key());
      } else {
        add(inputs.get(1), g.key()); // the value is the key
      }
      for (int i = 0; i < g.weights().size(); i++) {
        addWeight(weights.get(i), g.weights().get(i));
      }
    });
    return out;
  }

  @Override
  public List<Buf> multiHeadAttention(MultiHeadAttention layer, LayerWeights weights, List<Buf> inputs, AttentionMasks<Buf> masks) {
    List<Buf> out = forward.multiHeadAttention(layer, weights, inputs, masks);
    records.add(() -> {
      float[] dOutput = reached(out.get(0));
      float[] dProbabilities = reached(out.get(1));
      if (dOutput == null && dProbabilities == null) {
        return;
      }
      AttentionOps.Gradients g = AttentionOps.multiHeadBackward(layer, weights, inputs, out.get(1), dOutput, dProbabilities);
      add(inputs.get(0), g.query());
      add(inputs.get(1), g.value());
      add(inputs.size() > 2 ? inputs.get(2) : inputs.get(1), g.key());
      for (int i = 0; i < g.weights().size(); i++) {
        addWeight(weights.get(i), g.weights().get(i));
      }
    });
    return out;
  }
}

package org.rnn4j.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Tensor;
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
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.spi.AttentionMasks;
import org.rnn4j.spi.Kernels;
import org.rnn4j.spi.LayerWeights;
import org.rnn4j.spi.RecurrentCall;
import org.rnn4j.spi.RecurrentOutput;
import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TensorFlow backend's operations: each builds graph ops. A recurrent layer runs cell by cell
 * over the whole (time-major) sequence; a stack of cells is equivalent to its cells run one after
 * the other, each on the previous one's carried outputs, with the same mask.
 */
final class TfKernels implements Kernels<Node> {
  private final GraphOps g;
  private final LstmPath lstmPath;
  private final int intraOpThreads;

  /** @param intraOpThreads the session's intra-op threads (0: TensorFlow's default), for {@link LstmPath#autoFuses} */
  TfKernels(GraphOps g, LstmPath lstmPath, int intraOpThreads) {
    this.g = g;
    this.lstmPath = lstmPath;
    this.intraOpThreads = intraOpThreads;
  }

  @Override
  public RecurrentOutput<Node> recurrent(RecurrentCall<Node> call) {
    RNN layer = call.layer();
    Node x = call.input();
    int batch = x.dim(0);
    int steps = x.dim(1);
    Operand<TFloat32> seq = g.transpose(x.op(), 1, 0, 2);
    Operand<TFloat32> mask = call.mask() == null ? null : g.transpose(call.mask().op(), 1, 0);
    if (layer.goBackwards()) {
      seq = g.tf.reverse(seq, g.ints(0));
      mask = mask == null ? null : g.tf.reverse(mask, g.ints(0));
    }
    List<Operand<TBool>> stepMasks = null;
    if (mask != null) {
      stepMasks = new ArrayList<>();
      for (Operand<TFloat32> m : g.unstack(g.tf.expandDims(mask, g.ints(-1)), steps)) {
        stepMasks.add(g.positive(m));
      }
    }
    List<SingleCell> cells = layer.cell().cells();
    List<Operand<TFloat32>> finals = new ArrayList<>();
    int in = x.dim(2);
    int weight = 0;
    int state = 0;
    for (SingleCell cell : cells) {
      CellGraphs.CellWeights w =
          CellGraphs.CellWeights.of(g, cell,
              g.weight(call.weights().get(weight++)),
              g.weight(call.weights().get(weight++)),
              cell.useBias() ? g.weight(call.weights().get(weight++)) : null);
      List<Operand<TFloat32>> init = new ArrayList<>();
      for (int size : cell.stateSizes()) {
        init.add(call.initialState() == null ? g.zeros(batch, size) : call.initialState().get(state).op());
        state++;
      }
      CellGraphs.TimeMajor input = new CellGraphs.TimeMajor(seq, steps, batch, in);
      CellGraphs.Sequence r =
          useFused(cell, mask != null, input)
              ? CellGraphs.fusedLstm(g, (LSTMCell) cell, w, input, init)
              : CellGraphs.composite(g, cell, w, input, stepMasks, init);
      seq = r.hidden();
      finals.addAll(r.finalStates());
      in = cell.units();
    }
    Operand<TFloat32> out = seq;
    if (mask != null) {
      // Keras' outputs at masked steps: zeros with zero_output_for_mask, else the previous output,
      // which is the carried h once a valid step has been seen and zeros before.
      Operand<TFloat32> m3 = g.tf.expandDims(mask, g.ints(-1));
      Operand<TFloat32> keep = layer.zeroOutputForMask() ? m3 : g.tf.math.cumsum(m3, g.tf.constant(0));
      out = g.tf.select(g.positive(keep), seq, g.tf.zerosLike(seq));
    }
    int units = layer.units();
    Node last = new Node(g.at(out, steps - 1), new int[] {batch, units});
    Node sequence = call.returnSequence() ? new Node(g.transpose(out, 1, 0, 2), new int[] {batch, steps, units}) : null;
    List<Node> states = new ArrayList<>();
    int k = 0;
    for (SingleCell cell : cells) {
      for (int size : cell.stateSizes()) {
        states.add(new Node(finals.get(k++), new int[] {batch, size}));
      }
    }
    return new RecurrentOutput<>(sequence, last, states);
  }

  private boolean useFused(SingleCell cell, boolean masked, CellGraphs.TimeMajor input) {
    if (!(cell instanceof LSTMCell lstm) || lstmPath == LstmPath.COMPOSITE) {
      return false;
    }
    if (lstmPath == LstmPath.FUSED) {
      if (masked) {
        throw new InvalidInputException("lstm_path=fused cannot apply a mask (BlockLSTM has none); use auto or composite");
      }
      return true;
    }
    return !masked && LstmPath.fusedComputes(lstm)
        && LstmPath.autoFuses(intraOpThreads, input.steps(), input.batch(), input.features(), lstm.units());
  }

  @Override
  public Node maskFromValues(Node input, float maskValue) {
    Operand<TBool> differs = g.tf.math.notEqual(input.op(), g.scalar(maskValue));
    Operand<TBool> any = g.tf.reduceAny(differs, g.ints(-1));
    return new Node(g.tf.dtypes.cast(any, TFloat32.class), java.util.Arrays.copyOf(input.shape(), input.shape().length - 1));
  }

  @Override
  public Node applyMask(Node input, Node mask) {
    return new Node(g.mul(input.op(), g.tf.expandDims(mask.op(), g.ints(-1))), input.shape());
  }

  @Override
  public Node maskFromIds(Node ids) {
    Operand<TBool> nonZero = g.tf.math.notEqual(ids.op(), g.scalar(0f));
    return new Node(g.tf.dtypes.cast(nonZero, TFloat32.class), ids.shape());
  }

  @Override
  public Node embedding(Embedding layer, LayerWeights weights, Node ids) {
    Operand<TInt32> indices = g.tf.dtypes.cast(ids.op(), TInt32.class);
    Operand<TFloat32> out = g.tf.gather(g.weight(weights.get(0)), indices, g.tf.constant(0));
    return new Node(out, new int[] {ids.dim(0), ids.dim(1), layer.outputDim()});
  }

  @Override
  public Node dense(Dense layer, LayerWeights weights, Node x) {
    int in = x.dim(-1);
    int rows = 1;
    for (int i = 0; i < x.shape().length - 1; i++) {
      rows *= x.dim(i);
    }
    Operand<TFloat32> y = g.matMul(g.reshape(x.op(), rows, in), g.weight(weights.get(0)));
    if (layer.useBias()) {
      y = g.tf.nn.biasAdd(y, g.weight(weights.get(1)));
    }
    y = TfActivations.apply(g, layer.activation(), y);
    int[] shape = x.shape().clone();
    shape[shape.length - 1] = layer.units();
    return new Node(g.reshape(y, shape), shape);
  }

  @Override
  public Node activation(Activation activation, Node x) {
    int[] shape = x.shape().clone();
    shape[shape.length - 1] = activation.outputWidth(shape[shape.length - 1]);
    return new Node(TfActivations.apply(g, activation, x.op()), shape);
  }

  @Override
  public Node reverseTime(Node sequence) {
    return new Node(g.tf.reverse(sequence.op(), g.ints(1)), sequence.shape());
  }

  @Override
  public Node merge(MergeMode mode, Node forward, Node backward) {
    Operand<TFloat32> f = forward.op();
    Operand<TFloat32> b = backward.op();
    if (mode == MergeMode.CONCAT) {
      int[] shape = forward.shape().clone();
      shape[shape.length - 1] += backward.dim(-1);
      return new Node(g.tf.concat(List.of(f, b), g.tf.constant(-1)), shape);
    }
    Operand<TFloat32> out =
        switch (mode) {
          case SUM -> g.add(f, b);
          case MUL -> g.mul(f, b);
          case AVE -> g.tf.math.div(g.add(f, b), g.scalar(2f));
          default -> throw new IllegalArgumentException("merge mode " + mode);
        };
    return new Node(out, forward.shape());
  }

  @Override
  public Node flatten(Node x) {
    int n = 1;
    for (int i = 1; i < x.shape().length; i++) {
      n *= x.dim(i);
    }
    return new Node(g.reshape(x.op(), x.dim(0), n), new int[] {x.dim(0), n});
  }

  @Override
  public Node repeat(Node x, int n) {
    Operand<TFloat32> tiled = g.tf.tile(g.tf.expandDims(x.op(), g.ints(1)), g.ints(1, n, 1));
    return new Node(tiled, new int[] {x.dim(0), n, x.dim(1)});
  }

  @Override
  public Node conv1d(Conv1D layer, LayerWeights weights, Node x) {
    return TfWindowOps.conv1d(g, layer, weights, x);
  }

  @Override
  public Node pool(Pooling layer, Node x) {
    return TfWindowOps.pool(g, layer, x);
  }

  @Override
  public Node globalPool(GlobalPooling layer, Node x, Node mask) {
    return TfWindowOps.globalPool(g, layer, x, mask);
  }

  @Override
  public Node normalize(Normalization layer, LayerWeights weights, Node x) {
    return TfWindowOps.normalize(g, layer, weights, x);
  }

  @Override
  public Node combine(Merge layer, List<Node> inputs) {
    return TfGraphOps.combine(g, layer, inputs);
  }

  @Override
  public Node operation(Operation operation, List<Node> inputs) {
    return TfGraphOps.operation(g, operation, inputs);
  }

  @Override
  public Node rectify(Rectifier layer, LayerWeights weights, Node x) {
    return TfGraphOps.rectify(g, layer, weights, x);
  }

  @Override
  public Node rearrange(Rearrange layer, Node x) {
    return TfGraphOps.rearrange(g, layer, x);
  }

  @Override
  public List<Node> attention(Attention layer, LayerWeights weights, List<Node> inputs, AttentionMasks<Node> masks) {
    return TfAttention.attention(g, layer, weights, inputs, masks);
  }

  @Override
  public List<Node> multiHeadAttention(MultiHeadAttention layer, LayerWeights weights, List<Node> inputs, AttentionMasks<Node> masks) {
    return TfAttention.multiHead(g, layer, weights, inputs, masks);
  }

  @Override
  public Node foldTime(Node x) {
    int[] shape = new int[x.shape().length - 1];
    shape[0] = x.dim(0) * x.dim(1);
    System.arraycopy(x.shape(), 2, shape, 1, shape.length - 1);
    return new Node(g.reshape(x.op(), shape), shape);
  }

  @Override
  public Node unfoldTime(Node y, Node like) {
    int[] shape = new int[y.shape().length + 1];
    shape[0] = like.dim(0);
    shape[1] = like.dim(1);
    System.arraycopy(y.shape(), 1, shape, 2, y.shape().length - 1);
    return new Node(g.reshape(y.op(), shape), shape);
  }
}

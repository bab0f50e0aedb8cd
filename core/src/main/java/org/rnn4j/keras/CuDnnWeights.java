package org.rnn4j.keras;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.RNN;

/**
 * Keras 2's CuDNNLSTM and CuDNNGRU weights, converted to the LSTM and GRU(reset_after=True) that
 * compute the same, as Keras converts them when it loads them into those layers: cuDNN reads each
 * gate's input kernel {@code (in, units)} in row-major order as its {@code (units, in)} matrix, so
 * the Keras kernel is that flat block refilled column by column; each gate's recurrent kernel is
 * transposed; the LSTM's input and recurrent biases ({@code 8·units}) add up, the GRU's ({@code
 * 6·units}) become its {@code (2, 3·units)} bias.
 */
final class CuDnnWeights {
  private CuDnnWeights() {}

  /** The weights with every CuDNN layer's in the layout of the layer it is read as. */
  static List<Tensor> toKeras(Architecture arch, List<Tensor> values) {
    List<Tensor> out = new ArrayList<>(values);
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer l = arch.layer(i);
      String cls = l instanceof RNN r ? r.kerasClassName() : l instanceof Bidirectional b ? b.forwardLayer().kerasClassName() : "";
      if (!cls.startsWith("CuDNN")) {
        continue;
      }
      int gates = cls.equals("CuDNNLSTM") ? 4 : 3;
      int directions = l instanceof Bidirectional ? 2 : 1;
      for (int d = 0; d < directions; d++) {
        int at = arch.weightOffset(i) + 3 * d;
        if (at + 2 >= out.size() || out.get(at + 2).rank() != 1 || out.get(at + 2).dim(0) != 2 * gates * out.get(at + 1).dim(0)) {
          continue; // already in Keras layout (e.g. an .npz of the converted model)
        }
        int units = out.get(at + 1).dim(0);
        out.set(at, inputKernel(out.get(at), gates, units));
        out.set(at + 1, recurrentKernel(out.get(at + 1), gates, units));
        out.set(at + 2, bias(out.get(at + 2), gates, units));
      }
    }
    return out;
  }

  private static Tensor inputKernel(Tensor k, int gates, int units) {
    int in = k.dim(0);
    int width = gates * units;
    float[] src = k.toArray();
    float[] dst = new float[src.length];
    for (int g = 0; g < gates; g++) {
      // the gate's block read row-major, refilled column-major
      for (int f = 0; f < in * units; f++) {
        int a = f / units;
        int b = f % units;
        float v = src[a * width + g * units + b];
        dst[(f % in) * width + g * units + f / in] = v;
      }
    }
    return Tensor.wrap(k.shape(), dst);
  }

  private static Tensor recurrentKernel(Tensor r, int gates, int units) {
    int width = gates * units;
    float[] src = r.toArray();
    float[] dst = new float[src.length];
    for (int g = 0; g < gates; g++) {
      for (int a = 0; a < units; a++) {
        for (int b = 0; b < units; b++) {
          dst[a * width + g * units + b] = src[b * width + g * units + a];
        }
      }
    }
    return Tensor.wrap(r.shape(), dst);
  }

  private static Tensor bias(Tensor b, int gates, int units) {
    float[] src = b.toArray();
    int n = gates * units;
    if (gates == 3) {
      return Tensor.wrap(new int[] {2, n}, src);
    }
    float[] dst = new float[n];
    for (int j = 0; j < n; j++) {
      dst[j] = src[j] + src[n + j];
    }
    return Tensor.wrap(new int[] {n}, dst);
  }
}

package org.rnn4j.reference;

import java.util.List;
import org.rnn4j.layers.Attention;
import org.rnn4j.spi.AttentionMasks;
import org.rnn4j.spi.LayerWeights;

/**
 * The reference backend's Attention and AdditiveAttention: scores per (query step, value step) in
 * double, −1e9 where the value mask or causality excludes a step, a softmax over the value steps,
 * the weighted sum of the values, zeroed at masked query steps.
 */
final class AttentionOps {
  private AttentionOps() {}

  /** Keras' bias against excluded positions (float32 models). */
  private static final double EXCLUDED = 1.0e9;

  static List<Buf> attention(Attention layer, LayerWeights weights, List<Buf> inputs, AttentionMasks<Buf> masks) {
    Buf queryMask = masks.query();
    Buf valueMask = masks.value();
    boolean causal = masks.causal();
    Buf q = inputs.get(0);
    Buf v = inputs.get(1);
    Buf k = inputs.size() > 2 ? inputs.get(2) : v;
    int batch = q.dim(0);
    int tq = q.dim(1);
    int tv = v.dim(1);
    int dim = q.dim(2);
    int dv = v.dim(2);
    float[] scale = null;
    float concatWeight = 1f;
    int w = 0;
    if (layer.useScale()) {
      scale = weights.get(w++).toArray();
    }
    if (layer.kind() == Attention.Kind.CONCAT) {
      concatWeight = weights.get(w).toArray()[0];
    }
    float[] result = new float[batch * tq * dv];
    float[] probabilities = new float[batch * tq * tv];
    float[] scores = new float[tv];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < tq; i++) {
        int qo = (b * tq + i) * dim;
        for (int j = 0; j < tv; j++) {
          int ko = (b * tv + j) * dim;
          double s = 0;
          for (int d = 0; d < dim; d++) {
            double qd = q.data[qo + d];
            double kd = k.data[ko + d];
            s += switch (layer.kind()) {
              case DOT -> qd * kd;
              case CONCAT -> Math.tanh((scale == null ? 1 : scale[0]) * (qd + kd));
              case ADDITIVE -> (scale == null ? 1 : scale[d]) * Math.tanh(qd + kd);
            };
          }
          if (layer.kind() == Attention.Kind.DOT && scale != null) {
            s *= scale[0];
          } else if (layer.kind() == Attention.Kind.CONCAT) {
            s *= concatWeight;
          }
          boolean excluded = (valueMask != null && valueMask.data[b * tv + j] == 0f) || (causal && j > i);
          scores[j] = (float) (excluded ? s - EXCLUDED : s);
        }
        int po = (b * tq + i) * tv;
        org.rnn4j.layers.Activation.SOFTMAX.applyRow(scores, 0, tv, probabilities, po);
        boolean keep = queryMask == null || queryMask.data[b * tq + i] != 0f;
        for (int e = 0; e < dv; e++) {
          double sum = 0;
          for (int j = 0; j < tv; j++) {
            sum += probabilities[po + j] * (double) v.data[(b * tv + j) * dv + e];
          }
          result[(b * tq + i) * dv + e] = keep ? (float) sum : 0f;
        }
      }
    }
    return List.of(new Buf(new int[] {batch, tq, dv}, result), new Buf(new int[] {batch, tq, tv}, probabilities));
  }

  /** The gradients of an attention layer's inputs and weights (scale, then concat_score_weight, as present). */
  record Gradients(double[] query, double[] value, double[] key, List<double[]> weights) {}

  /**
   * Backward of {@link #attention} from its probabilities and the gradients of its result and
   * probabilities (either may be null): through the weighted sum, the softmax (an excluded
   * position's constant −1e9 passes nothing) and the score function.
   */
  static Gradients attentionBackward(Attention layer, LayerWeights weights, List<Buf> inputs, Buf queryMask, Buf probabilities,
      float[] dResult, float[] dProbabilities) {
    Buf q = inputs.get(0);
    Buf v = inputs.get(1);
    Buf k = inputs.size() > 2 ? inputs.get(2) : v;
    int batch = q.dim(0);
    int tq = q.dim(1);
    int tv = v.dim(1);
    int dim = q.dim(2);
    int dv = v.dim(2);
    float[] scale = layer.useScale() ? weights.get(0).toArray() : null;
    float concatWeight = layer.kind() == Attention.Kind.CONCAT ? weights.get(scale == null ? 0 : 1).toArray()[0] : 1f;
    double[] dq = new double[q.data.length];
    double[] dvalue = new double[v.data.length];
    double[] dk = new double[k.data.length];
    double[] dScale = scale == null ? null : new double[scale.length];
    double dConcat = 0;
    double[] dp = new double[tv];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < tq; i++) {
        int po = (b * tq + i) * tv;
        boolean keep = queryMask == null || queryMask.data[b * tq + i] != 0f;
        int ro = (b * tq + i) * dv;
        double dot = 0;
        for (int j = 0; j < tv; j++) {
          double d = dProbabilities == null ? 0 : dProbabilities[po + j];
          if (keep && dResult != null) {
            for (int e = 0; e < dv; e++) {
              d += dResult[ro + e] * (double) v.data[(b * tv + j) * dv + e];
              dvalue[(b * tv + j) * dv + e] += probabilities.data[po + j] * (double) dResult[ro + e];
            }
          }
          dp[j] = d;
          dot += d * probabilities.data[po + j];
        }
        int qo = (b * tq + i) * dim;
        for (int j = 0; j < tv; j++) {
          double ds = probabilities.data[po + j] * (dp[j] - dot); // through the softmax
          if (ds == 0) {
            continue;
          }
          int ko = (b * tv + j) * dim;
          for (int d = 0; d < dim; d++) {
            double qd = q.data[qo + d];
            double kd = k.data[ko + d];
            switch (layer.kind()) {
              case DOT -> {
                double sc = scale == null ? 1 : scale[0];
                dq[qo + d] += ds * sc * kd;
                dk[ko + d] += ds * sc * qd;
                if (dScale != null) {
                  dScale[0] += ds * qd * kd;
                }
              }
              case CONCAT -> {
                double sc = scale == null ? 1 : scale[0];
                double t = Math.tanh(sc * (qd + kd));
                double g = ds * concatWeight * (1 - t * t);
                dq[qo + d] += g * sc;
                dk[ko + d] += g * sc;
                if (dScale != null) {
                  dScale[0] += g * (qd + kd);
                }
                dConcat += ds * t;
              }
              case ADDITIVE -> {
                double t = Math.tanh(qd + kd);
                double g = ds * (scale == null ? 1 : scale[d]) * (1 - t * t);
                dq[qo + d] += g;
                dk[ko + d] += g;
                if (dScale != null) {
                  dScale[d] += ds * t;
                }
              }
            }
          }
        }
      }
    }
    List<double[]> dWeights = new java.util.ArrayList<>();
    if (dScale != null) {
      dWeights.add(dScale);
    }
    if (layer.kind() == Attention.Kind.CONCAT) {
      dWeights.add(new double[] {dConcat});
    }
    return new Gradients(dq, dvalue, dk, dWeights);
  }

  /**
   * MultiHeadAttention: projections per head (double accumulation), scaled scores, −1e9 where the
   * attention mask (query rows, value and key columns, the attention_mask's pairs, causality) is 0, a softmax per query step,
   * the weighted values, the heads combined by the output projection. Returns [output, weights].
   */
  static List<Buf> multiHead(org.rnn4j.layers.MultiHeadAttention layer, LayerWeights weights, List<Buf> inputs, AttentionMasks<Buf> masks) {
    Buf queryMask = masks.query();
    Buf valueMask = masks.value();
    Buf keyMask = masks.key();
    Buf pairs = masks.pairs();
    boolean causal = masks.causal();
    Buf query = inputs.get(0);
    Buf value = inputs.get(1);
    Buf key = inputs.size() > 2 ? inputs.get(2) : value;
    int batch = query.dim(0);
    int tq = query.dim(1);
    int tv = value.dim(1);
    int heads = layer.heads();
    int kd = layer.keyDim();
    int vd = layer.valueDim();
    int out = layer.outputDim(query.dim(2));
    HeadWeights hw = HeadWeights.of(layer, weights);
    float[] q = project(query, hw.wq, hw.bq, heads * kd);
    float[] k = project(key, hw.wk, hw.bk, heads * kd);
    float[] v = project(value, hw.wv, hw.bv, heads * vd);
    float scale = (float) (1.0 / Math.sqrt(kd));
    float[] probabilities = new float[batch * heads * tq * tv];
    float[] scores = new float[tv];
    for (int b = 0; b < batch; b++) {
      for (int n = 0; n < heads; n++) {
        for (int i = 0; i < tq; i++) {
          for (int j = 0; j < tv; j++) {
            double s = 0;
            for (int d = 0; d < kd; d++) {
              // Keras scales the query before the product
              s += (double) (q[(b * tq + i) * heads * kd + n * kd + d] * scale) * k[(b * tv + j) * heads * kd + n * kd + d];
            }
            boolean keep = (queryMask == null || queryMask.data[b * tq + i] != 0f) && (valueMask == null || valueMask.data[b * tv + j] != 0f)
                && (keyMask == null || keyMask.data[b * tv + j] != 0f) && (pairs == null || pairs.data[(b * tq + i) * tv + j] != 0f)
                && (!causal || j <= i);
            scores[j] = (float) s + (keep ? 0f : (float) -EXCLUDED);
          }
          org.rnn4j.layers.Activation.SOFTMAX.applyRow(scores, 0, tv, probabilities, ((b * heads + n) * tq + i) * tv);
        }
      }
    }
    float[] context = context(probabilities, v, batch, heads, tq, tv, vd);
    float[] combined = project(new Buf(new int[] {batch, tq, heads * vd}, context), hw.wo, hw.bo, out);
    return List.of(new Buf(new int[] {batch, tq, out}, combined), new Buf(new int[] {batch, heads, tq, tv}, probabilities));
  }

  /**
   * Backward of {@link #multiHead} from its attention weights and the gradients of its output and
   * weights (either may be null): through the output projection, the weighted values, the softmax
   * (the −1e9 of masked pairs is constant), the scaled scores and the three input projections.
   * Weight gradients in the layer's order (query, key, value, output; kernel then bias).
   */
  static Gradients multiHeadBackward(org.rnn4j.layers.MultiHeadAttention layer, LayerWeights weights, List<Buf> inputs,
      Buf probabilities, float[] dOutput, float[] dProbabilities) {
    Buf query = inputs.get(0);
    Buf value = inputs.get(1);
    Buf key = inputs.size() > 2 ? inputs.get(2) : value;
    int batch = query.dim(0);
    int tq = query.dim(1);
    int tv = value.dim(1);
    int heads = layer.heads();
    int kd = layer.keyDim();
    int vd = layer.valueDim();
    int out = layer.outputDim(query.dim(2));
    boolean bias = layer.useBias();
    // the forward's intermediate values again, by the same code
    HeadWeights hw = HeadWeights.of(layer, weights);
    float[] wo = hw.wo;
    float[] q = project(query, hw.wq, hw.bq, heads * kd);
    float[] k = project(key, hw.wk, hw.bk, heads * kd);
    float[] v = project(value, hw.wv, hw.bv, heads * vd);
    float scale = (float) (1.0 / Math.sqrt(kd));
    int cw = heads * vd;
    float[] context = context(probabilities.data, v, batch, heads, tq, tv, vd);
    // the output projection
    double[] dWo = new double[wo.length];
    double[] dBo = bias ? new double[out] : null;
    double[] dContext = new double[context.length];
    if (dOutput != null) {
      for (int r = 0; r < batch * tq; r++) {
        for (int c = 0; c < cw; c++) {
          double s = 0;
          for (int o = 0; o < out; o++) {
            double d = dOutput[r * out + o];
            s += d * wo[c * out + o];
            dWo[c * out + o] += context[r * cw + c] * d;
          }
          dContext[r * cw + c] = s;
        }
        for (int o = 0; dBo != null && o < out; o++) {
          dBo[o] += dOutput[r * out + o];
        }
      }
    }
    // per head: the weighted values, the softmax, the scaled scores
    double[] dq = new double[q.length];
    double[] dk = new double[k.length];
    double[] dv = new double[v.length];
    double[] dp = new double[tv];
    int qw = heads * kd;
    for (int b = 0; b < batch; b++) {
      for (int n = 0; n < heads; n++) {
        for (int i = 0; i < tq; i++) {
          int po = ((b * heads + n) * tq + i) * tv;
          double dot = 0;
          for (int j = 0; j < tv; j++) {
            double d = dProbabilities == null ? 0 : dProbabilities[po + j];
            for (int e = 0; e < vd; e++) {
              double dc = dContext[(b * tq + i) * cw + n * vd + e];
              d += dc * v[(b * tv + j) * cw + n * vd + e];
              dv[(b * tv + j) * cw + n * vd + e] += probabilities.data[po + j] * dc;
            }
            dp[j] = d;
            dot += d * probabilities.data[po + j];
          }
          for (int j = 0; j < tv; j++) {
            double ds = probabilities.data[po + j] * (dp[j] - dot);
            for (int d = 0; d < kd; d++) {
              int qi = (b * tq + i) * qw + n * kd + d;
              int ki = (b * tv + j) * qw + n * kd + d;
              dq[qi] += ds * scale * k[ki];
              dk[ki] += ds * q[qi] * scale;
            }
          }
        }
      }
    }
    List<double[]> dWeights = new java.util.ArrayList<>();
    double[] dQuery = projectBackward(query, hw.wq, dq, qw, dWeights, bias);
    double[] dKey = projectBackward(key, hw.wk, dk, qw, dWeights, bias);
    double[] dValue = projectBackward(value, hw.wv, dv, cw, dWeights, bias);
    dWeights.add(dWo);
    if (bias) {
      dWeights.add(dBo);
    }
    return new Gradients(dQuery, dValue, dKey, dWeights);
  }

  /** MultiHeadAttention's weights in its order (query, key, value, output; kernel, then bias when used). */
  private record HeadWeights(float[] wq, float[] bq, float[] wk, float[] bk, float[] wv, float[] bv, float[] wo, float[] bo) {
    static HeadWeights of(org.rnn4j.layers.MultiHeadAttention layer, LayerWeights weights) {
      boolean bias = layer.useBias();
      float[][] w = new float[8][];
      for (int i = 0, t = 0; i < 8; i++) {
        w[i] = bias || i % 2 == 0 ? weights.get(t++).toArray() : null;
      }
      return new HeadWeights(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
    }
  }

  /** Each head's weighted values {@code (batch, tq, heads·vd)}: the attention weights times the projected values. */
  private static float[] context(float[] probabilities, float[] v, int batch, int heads, int tq, int tv, int vd) {
    int cw = heads * vd;
    float[] context = new float[batch * tq * cw];
    for (int b = 0; b < batch; b++) {
      for (int n = 0; n < heads; n++) {
        for (int i = 0; i < tq; i++) {
          int po = ((b * heads + n) * tq + i) * tv;
          for (int e = 0; e < vd; e++) {
            double sum = 0;
            for (int j = 0; j < tv; j++) {
              sum += probabilities[po + j] * (double) v[(b * tv + j) * cw + n * vd + e];
            }
            context[(b * tq + i) * cw + n * vd + e] = (float) sum;
          }
        }
      }
    }
    return context;
  }

  /** Backward of {@link #project}: adds the kernel's (and bias's) gradients to {@code into}, returns the input's. */
  private static double[] projectBackward(Buf x, float[] kernel, double[] dy, int width, List<double[]> into, boolean bias) {
    int in = x.dim(-1);
    int rows = x.data.length / in;
    double[] dx = new double[x.data.length];
    double[] dKernel = new double[kernel.length];
    double[] dBias = new double[width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < in; c++) {
        double s = 0;
        for (int j = 0; j < width; j++) {
          double d = dy[r * width + j];
          s += d * kernel[c * width + j];
          dKernel[c * width + j] += x.data[r * in + c] * d;
        }
        dx[r * in + c] = s;
      }
      for (int j = 0; j < width; j++) {
        dBias[j] += dy[r * width + j];
      }
    }
    into.add(dKernel);
    if (bias) {
      into.add(dBias);
    }
    return dx;
  }

  /** x (batch, time, in) times a kernel flattened to (in, width), plus a bias flattened to (width): one projection. */
  private static float[] project(Buf x, float[] kernel, float[] bias, int width) {
    int in = x.dim(-1);
    int rows = x.data.length / in;
    float[] y = new float[rows * width];
    double[] acc = new double[width];
    for (int r = 0; r < rows; r++) {
      MatVec.init(acc, bias, 0, width);
      MatVec.accumulate(acc, x.data, r * in, in, kernel, width, 0, width);
      for (int j = 0; j < width; j++) {
        y[r * width + j] = (float) acc[j];
      }
    }
    return y;
  }
}

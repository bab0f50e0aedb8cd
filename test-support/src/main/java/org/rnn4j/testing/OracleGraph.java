package org.rnn4j.testing;

import java.util.List;
import org.rnn4j.layers.Merge;
import org.rnn4j.layers.Operation;

/**
 * The oracle's merge layers and operation nodes, in float64 on nested arrays ({@code double[][]}
 * or {@code double[][][]} with the batch axis first), from Keras' definitions.
 */
final class OracleGraph {
  private OracleGraph() {}

  static Object merge(Merge m, List<Object> ins) {
    if (m.kind() == Merge.Kind.DOT && ins.get(0) instanceof double[][][] xs) {
      double[][][] ys = (double[][][]) ins.get(1);
      double[][][] out = new double[xs.length][][];
      for (int b = 0; b < xs.length; b++) {
        // put the contracted axis last in both: rows of u and v are the remaining axes
        double[][] u = m.dotAxis(0, 2) == 1 ? xs[b] : transpose(xs[b]);
        double[][] v = m.dotAxis(1, 2) == 1 ? ys[b] : transpose(ys[b]);
        out[b] = new double[u.length][v.length];
        for (int i = 0; i < u.length; i++) {
          for (int j = 0; j < v.length; j++) {
            double[] p = m.normalize() ? unit(u[i]) : u[i];
            double[] q = m.normalize() ? unit(v[j]) : v[j];
            for (int k = 0; k < p.length; k++) {
              out[b][i][j] += p[k] * q[k];
            }
          }
        }
      }
      return out;
    }
    if (m.kind() == Merge.Kind.DOT) {
      double[][] x = (double[][]) ins.get(0);
      double[][] y = (double[][]) ins.get(1);
      double[][] out = new double[x.length][1];
      for (int b = 0; b < x.length; b++) {
        double[] u = m.normalize() ? unit(x[b]) : x[b];
        double[] v = m.normalize() ? unit(y[b]) : y[b];
        for (int j = 0; j < u.length; j++) {
          out[b][0] += u[j] * v[j];
        }
      }
      return out;
    }
    if (ins.get(0) instanceof double[][][] first) {
      Object[] per = new Object[first.length];
      int rank = 2;
      for (int b = 0; b < first.length; b++) {
        final int row = b;
        per[b] = mergeRows(m, ins.stream().map(o -> (Object) ((double[][][]) o)[row]).toList(), rank);
      }
      double[][][] out = new double[first.length][][];
      for (int b = 0; b < first.length; b++) {
        out[b] = (double[][]) per[b];
      }
      return out;
    }
    double[][] first = (double[][]) ins.get(0);
    double[][] out = new double[first.length][];
    for (int b = 0; b < first.length; b++) {
      final int row = b;
      out[b] = (double[]) mergeRows(m, ins.stream().map(o -> (Object) ((double[][]) o)[row]).toList(), 1);
    }
    return out;
  }

  /** One batch row of each input: {@code double[]} (rank 1) or {@code double[][]} (rank 2). */
  private static Object mergeRows(Merge m, List<Object> rows, int rank) {
    if (m.kind() == Merge.Kind.CONCATENATE) {
      int axis = m.axis(rank);
      if (rank == 1) {
        return concat(rows.stream().map(r -> (double[]) r).toList());
      }
      List<double[][]> mats = rows.stream().map(r -> (double[][]) r).toList();
      if (axis == 0) {
        return mats.stream().flatMap(a -> java.util.Arrays.stream(a)).toArray(double[][]::new);
      }
      double[][] out = new double[mats.get(0).length][];
      for (int t = 0; t < out.length; t++) {
        final int step = t;
        out[t] = concat(mats.stream().map(a -> a[step]).toList());
      }
      return out;
    }
    if (rank == 2) {
      double[][] first = (double[][]) rows.get(0);
      double[][] out = new double[first.length][];
      for (int t = 0; t < first.length; t++) {
        final int step = t;
        out[t] = elementwise(m, rows.stream().map(r -> ((double[][]) r)[step]).toList());
      }
      return out;
    }
    return elementwise(m, rows.stream().map(r -> (double[]) r).toList());
  }

  private static double[] concat(List<double[]> parts) {
    return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  private static double[] elementwise(Merge m, List<double[]> vs) {
    double[] out = vs.get(0).clone();
    for (int j = 0; j < out.length; j++) {
      for (double[] v : vs.subList(1, vs.size())) {
        out[j] = switch (m.kind()) {
          case ADD, AVERAGE -> out[j] + v[j];
          case SUBTRACT -> out[j] - v[j];
          case MULTIPLY -> out[j] * v[j];
          case MAXIMUM -> Math.max(out[j], v[j]);
          case MINIMUM -> Math.min(out[j], v[j]);
          default -> throw new IllegalArgumentException(m.kind().toString());
        };
      }
      if (m.kind() == Merge.Kind.AVERAGE) {
        out[j] /= vs.size();
      }
    }
    return out;
  }

  private static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  private static double[] unit(double[] v) {
    double n = 0;
    for (double x : v) {
      n += x * x;
    }
    double norm = Math.sqrt(Math.max(n, 1e-12));
    return java.util.Arrays.stream(v).map(x -> x / norm).toArray();
  }

  static Object operation(Operation o, List<Object> ins) {
    if (ins.get(0) instanceof double[][][] first) {
      double[][][] out = new double[first.length][][];
      for (int b = 0; b < first.length; b++) {
        final int row = b;
        out[b] = (double[][]) operation(o, ins.stream().map(x -> (Object) ((double[][][]) x)[row]).toList());
      }
      return out;
    }
    double[][] first = (double[][]) ins.get(0);
    double[][] out = new double[first.length][first[0].length];
    for (int i = 0; i < first.length; i++) {
      for (int j = 0; j < first[i].length; j++) {
        int next = 0;
        double[] args = new double[o.operands().size()];
        for (int a = 0; a < args.length; a++) {
          Float c = o.operands().get(a);
          args[a] = c != null ? c : ((double[][]) ins.get(next++))[i][j];
        }
        out[i][j] = op(o.kind(), args[0], args.length > 1 ? args[1] : 0);
      }
    }
    return out;
  }

  private static double op(Operation.Kind kind, double a, double b) {
    return switch (kind) {
      case EQUAL -> a == b ? 1 : 0;
      case NOT_EQUAL -> a != b ? 1 : 0;
      case GREATER -> a > b ? 1 : 0;
      case GREATER_EQUAL -> a >= b ? 1 : 0;
      case LESS -> a < b ? 1 : 0;
      case LESS_EQUAL -> a <= b ? 1 : 0;
      case ADD -> a + b;
      case SUBTRACT -> a - b;
      case MULTIPLY -> a * b;
      case DIVIDE -> a / b;
      case MAXIMUM -> Math.max(a, b);
      case MINIMUM -> Math.min(a, b);
      case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
      case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
      case LOGICAL_NOT -> a == 0 ? 1 : 0;
      case NEGATIVE -> -a;
      case CAST_FLOAT -> a;
      case CAST_INT -> a < 0 ? Math.ceil(a) : Math.floor(a);
      case CAST_BOOL -> a != 0 ? 1 : 0;
    };
  }

  /**
   * Attention from Keras' definition: scores, minus 1e9 at excluded (query, value) pairs, softmax
   * over the value steps, weighted values, zero rows at masked query steps. Returns [result, weights].
   */
  static List<Object> attention(org.rnn4j.layers.Attention a, List<org.rnn4j.Tensor> w, List<Object> ins, boolean[][] qMask,
      boolean[][] vMask, boolean causal) {
    double[][][] q = (double[][][]) ins.get(0);
    double[][][] v = (double[][][]) ins.get(1);
    double[][][] k = ins.size() > 2 ? (double[][][]) ins.get(2) : v;
    float[] scale = a.useScale() ? w.get(0).toArray() : null;
    double cw = a.kind() == org.rnn4j.layers.Attention.Kind.CONCAT ? w.get(a.useScale() ? 1 : 0).toArray()[0] : 1;
    double[][][] result = new double[q.length][][];
    double[][][] weights = new double[q.length][][];
    for (int b = 0; b < q.length; b++) {
      result[b] = new double[q[b].length][v[b][0].length];
      weights[b] = new double[q[b].length][v[b].length];
      for (int i = 0; i < q[b].length; i++) {
        double[] s = new double[v[b].length];
        for (int j = 0; j < s.length; j++) {
          for (int d = 0; d < q[b][i].length; d++) {
            s[j] += switch (a.kind()) {
              case DOT -> q[b][i][d] * k[b][j][d];
              case CONCAT -> Math.tanh((scale == null ? 1 : scale[0]) * (q[b][i][d] + k[b][j][d]));
              case ADDITIVE -> (scale == null ? 1 : scale[d]) * Math.tanh(q[b][i][d] + k[b][j][d]);
            };
          }
          if (a.kind() == org.rnn4j.layers.Attention.Kind.DOT && scale != null) {
            s[j] *= scale[0];
          }
          s[j] *= cw;
          if ((vMask != null && !vMask[b][j]) || (causal && j > i)) {
            s[j] = excluded(s[j]);
          }
        }
        double max = java.util.Arrays.stream(s).max().orElse(0);
        double sum = java.util.Arrays.stream(s).map(x -> Math.exp(x - max)).sum();
        for (int j = 0; j < s.length; j++) {
          weights[b][i][j] = Math.exp(s[j] - max) / sum;
        }
        boolean keep = qMask == null || qMask[b][i];
        for (int e = 0; e < result[b][i].length; e++) {
          for (int j = 0; j < s.length && keep; j++) {
            result[b][i][e] += weights[b][i][j] * v[b][j][e];
          }
        }
      }
    }
    return java.util.Arrays.asList(result, weights);
  }

  /**
   * An excluded score as Keras computes it: 1e9 subtracted in float32, which rounds a score of a
   * few units away (a row whose every position is excluded becomes uniform, as in Keras).
   */
  private static double excluded(double score) {
    return (float) ((float) score - 1.0e9f);
  }

  /**
   * MultiHeadAttention from Keras' definition, in float64: returns [output, weights (batch, heads,
   * tq, tv)]. {@code pairs} is the attention_mask (nonzero: attend), or null.
   */
  static List<Object> multiHead(org.rnn4j.layers.MultiHeadAttention m, List<org.rnn4j.Tensor> w, List<Object> ins, boolean[][] qMask,
      boolean[][] vMask, boolean[][] kMask, double[][][] pairs, boolean causal) {
    double[][][] query = (double[][][]) ins.get(0);
    double[][][] value = (double[][][]) ins.get(1);
    double[][][] key = ins.size() > 2 ? (double[][][]) ins.get(2) : value;
    int heads = m.heads();
    int i = 0;
    org.rnn4j.Tensor wq = w.get(i++);
    org.rnn4j.Tensor bq = m.useBias() ? w.get(i++) : null;
    org.rnn4j.Tensor wk = w.get(i++);
    org.rnn4j.Tensor bk = m.useBias() ? w.get(i++) : null;
    org.rnn4j.Tensor wv = w.get(i++);
    org.rnn4j.Tensor bv = m.useBias() ? w.get(i++) : null;
    org.rnn4j.Tensor wo = w.get(i++);
    org.rnn4j.Tensor bo = m.useBias() ? w.get(i) : null;
    int out = wo.dim(2);
    double[][][] result = new double[query.length][][];
    double[][][][] weights = new double[query.length][heads][][];
    for (int b = 0; b < query.length; b++) {
      int tq = query[b].length;
      int tv = value[b].length;
      double[][] ctx = new double[tq][heads * m.valueDim()];
      for (int n = 0; n < heads; n++) {
        double[][] q = head(query[b], wq, bq, n);
        double[][] k = head(key[b], wk, bk, n);
        double[][] v = head(value[b], wv, bv, n);
        weights[b][n] = new double[tq][tv];
        for (int t = 0; t < tq; t++) {
          double[] s = new double[tv];
          for (int j = 0; j < tv; j++) {
            for (int d = 0; d < q[t].length; d++) {
              s[j] += q[t][d] / Math.sqrt(m.keyDim()) * k[j][d];
            }
            boolean keep = (qMask == null || qMask[b][t]) && (vMask == null || vMask[b][j]) && (kMask == null || kMask[b][j])
                && (pairs == null || pairs[b][t][j] != 0) && (!causal || j <= t);
            if (!keep) {
              s[j] = excluded(s[j]);
            }
          }
          double max = java.util.Arrays.stream(s).max().orElse(0);
          double sum = java.util.Arrays.stream(s).map(x -> Math.exp(x - max)).sum();
          for (int j = 0; j < tv; j++) {
            weights[b][n][t][j] = Math.exp(s[j] - max) / sum;
            for (int e = 0; e < v[j].length; e++) {
              ctx[t][n * m.valueDim() + e] += weights[b][n][t][j] * v[j][e];
            }
          }
        }
      }
      result[b] = new double[tq][out];
      for (int t = 0; t < tq; t++) {
        for (int o = 0; o < out; o++) {
          double y = bo == null ? 0 : bo.get(o);
          for (int n = 0; n < heads; n++) {
            for (int e = 0; e < m.valueDim(); e++) {
              y += ctx[t][n * m.valueDim() + e] * wo.get(n, e, o);
            }
          }
          result[b][t][o] = y;
        }
      }
    }
    return java.util.Arrays.asList(result, weights);
  }

  /** Head n's projection of a (time, dim) sample: kernel (dim, heads, size), bias (heads, size). */
  private static double[][] head(double[][] x, org.rnn4j.Tensor kernel, org.rnn4j.Tensor bias, int n) {
    int size = kernel.dim(2);
    double[][] out = new double[x.length][size];
    for (int t = 0; t < x.length; t++) {
      for (int d = 0; d < size; d++) {
        double y = bias == null ? 0 : bias.get(n, d);
        for (int c = 0; c < x[t].length; c++) {
          y += x[t][c] * kernel.get(c, n, d);
        }
        out[t][d] = y;
      }
    }
    return out;
  }
}

package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;
import org.rnn4j.initializers.Initializer;

/**
 * Keras {@code MultiHeadAttention} over the time axis of {@code (time, dim)} inputs {@code [query,
 * value]} or {@code [query, value, key]}: per head n, {@code q = query·Wq[:, n] + bq[n]} (likewise
 * k from the key, v from the value), scores {@code (q / sqrt(key_dim))·kᵀ}, {@code −1e9} added
 * where the attention mask is 0, a softmax over the value steps, the weighted values, and the
 * heads combined by {@code Σ_n ctx[n]·Wo[n] + bo}. The attention mask is the conjunction of the
 * query's mask (as rows), the value's and the key's masks (as columns) and, for a causal call,
 * the lower triangle. The output keeps the query's mask. Weights: {@code query/kernel (dim, heads,
 * key_dim)}, {@code query/bias (heads, key_dim)}, the same for {@code key} and {@code value}
 * ({@code value_dim}), {@code attention_output/kernel (heads, value_dim, out)}, {@code
 * attention_output/bias (out)}; biases only with {@code use_bias}.
 */
public final class MultiHeadAttention implements Layer {
  private final int heads;
  private final int keyDim;
  private final int valueDim;
  private final boolean useBias;
  private final int outputDim;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final String name;

  private MultiHeadAttention(int heads, int keyDim, int valueDim, boolean useBias, int outputDim, Initializer kernelInitializer,
      Initializer biasInitializer, String name) {
    if (heads <= 0 || keyDim <= 0 || valueDim <= 0) {
      throw new InvalidModelException("MultiHeadAttention: num_heads, key_dim and value_dim must be positive");
    }
    this.heads = heads;
    this.keyDim = keyDim;
    this.valueDim = valueDim;
    this.useBias = useBias;
    this.outputDim = outputDim;
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
    this.name = name;
  }

  /**
   * A multi-head attention layer.
   *
   * @param valueDim the value heads' size (Keras' default: {@code keyDim})
   * @param outputDim the output's last size, or -1 for the query's (Keras' default)
   */
  public static MultiHeadAttention of(int heads, int keyDim, int valueDim, boolean useBias, int outputDim,
      Initializer kernelInitializer, Initializer biasInitializer, String name) {
    return new MultiHeadAttention(heads, keyDim, valueDim, useBias, outputDim, kernelInitializer, biasInitializer, name);
  }

  /** With Keras' defaults: value_dim = key_dim, biases, the query's size out, glorot_uniform kernels, zero biases. */
  public static MultiHeadAttention of(int heads, int keyDim) {
    return of(heads, keyDim, keyDim, true, -1, Initializer.glorotUniform(), Initializer.zeros(), null);
  }

  public int heads() {
    return heads;
  }

  public int keyDim() {
    return keyDim;
  }

  public int valueDim() {
    return valueDim;
  }

  public boolean useBias() {
    return useBias;
  }

  /** The output's last size for a query of {@code queryDim}. */
  public int outputDim(int queryDim) {
    return outputDim > 0 ? outputDim : queryDim;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return "MultiHeadAttention";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    throw new InvalidModelException(LayerShapes.describe(this) + " takes [query, value] or [query, value, key]; it was given one input");
  }

  /** The output's shape and the attention scores' {@code (heads, query time, value time)}. */
  public List<int[]> outputShapes(List<int[]> shapes) {
    check(shapes);
    int[] q = shapes.get(0);
    int[] v = shapes.get(1);
    return List.of(new int[] {q[0], outputDim(q[1])}, new int[] {heads, q[0], v[0]});
  }

  private void check(List<int[]> shapes) {
    if (shapes.size() < 2 || shapes.size() > 3) {
      throw new InvalidModelException(LayerShapes.describe(this) + " takes [query, value] or [query, value, key], got " + shapes.size() + " inputs");
    }
    for (int[] s : shapes) {
      if (s.length != 2 || s[1] < 0) {
        throw new InvalidModelException(LayerShapes.describe(this) + ": query, value and key must be (time, dim) with a known dim, got "
            + Shapes.format(s));
      }
    }
    int[] v = shapes.get(1);
    int[] k = shapes.size() > 2 ? shapes.get(2) : v;
    if (k[0] >= 0 && v[0] >= 0 && k[0] != v[0]) {
      throw new InvalidModelException(LayerShapes.describe(this) + ": key " + Shapes.format(k) + " and value " + Shapes.format(v)
          + " need one length");
    }
  }

  /** The weights for inputs of these shapes, in Keras' order (query, key, value, output). */
  public List<WeightSpec> weightSpecs(List<int[]> shapes) {
    check(shapes);
    int dq = shapes.get(0)[1];
    int dv = shapes.get(1)[1];
    int dk = shapes.size() > 2 ? shapes.get(2)[1] : dv;
    List<WeightSpec> specs = new java.util.ArrayList<>();
    projection(specs, "query", dq, keyDim);
    projection(specs, "key", dk, keyDim);
    projection(specs, "value", dv, valueDim);
    specs.add(new WeightSpec("attention_output/kernel", new int[] {heads, valueDim, outputDim(dq)}, kernelInitializer));
    if (useBias) {
      specs.add(new WeightSpec("attention_output/bias", new int[] {outputDim(dq)}, biasInitializer));
    }
    return List.copyOf(specs);
  }

  private void projection(List<WeightSpec> specs, String part, int in, int size) {
    specs.add(new WeightSpec(part + "/kernel", new int[] {in, heads, size}, kernelInitializer));
    if (useBias) {
      specs.add(new WeightSpec(part + "/bias", new int[] {heads, size}, biasInitializer));
    }
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] queryShape) {
    return weightSpecs(List.of(queryShape, queryShape));
  }

  @Override
  public String toString() {
    return "MultiHeadAttention(num_heads=" + heads + ", key_dim=" + keyDim + ", value_dim=" + valueDim + ", use_bias=" + useBias + ")";
  }
}

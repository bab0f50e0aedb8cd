package org.rnn4j.layers;

import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;
import org.rnn4j.initializers.Initializer;

/**
 * Keras {@code Attention} (Luong: scores {@code q·kᵀ}, times {@code scale} with {@code
 * use_scale}; or {@code score_mode="concat"}: {@code w · Σ tanh(scale·(q + k))}) and {@code
 * AdditiveAttention} (Bahdanau: {@code Σ scale ∘ tanh(q + k)}) on {@code [query, value]} or
 * {@code [query, value, key]}, each {@code (time, dim)}. Positions the value mask (or, for a
 * causal call, the future) excludes get {@code −1e9} before the softmax over the value steps; the
 * weighted sum of the values is zeroed at masked query steps, whose mask the output keeps.
 * Weights: {@code scale} (a scalar for Attention, {@code (dim,)} for AdditiveAttention) with
 * {@code use_scale}, and Attention's {@code concat_score_weight} with {@code score_mode="concat"}.
 */
public final class Attention implements Layer {
  /** How scores are computed. */
  public enum Kind {
    /** {@code Attention(score_mode="dot")}. */
    DOT,
    /** {@code Attention(score_mode="concat")}. */
    CONCAT,
    /** {@code AdditiveAttention}. */
    ADDITIVE
  }

  private final Kind kind;
  private final boolean useScale;
  private final boolean causal;
  private final String name;

  private Attention(Kind kind, boolean useScale, boolean causal, String name) {
    this.kind = kind;
    this.useScale = useScale;
    this.causal = causal;
    this.name = name;
  }

  /**
   * An attention layer.
   *
   * @param causal tf.keras' {@code causal=True} constructor argument (Keras 3 takes it per call, as
   *     {@code use_causal_mask})
   */
  public static Attention of(Kind kind, boolean useScale, boolean causal, String name) {
    return new Attention(kind, useScale, causal, name);
  }

  public Kind kind() {
    return kind;
  }

  public boolean useScale() {
    return useScale;
  }

  /** Whether every call masks the future (the layer's own argument; calls may ask for it too). */
  public boolean causal() {
    return causal;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return kind == Kind.ADDITIVE ? "AdditiveAttention" : "Attention";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    throw new InvalidModelException(LayerShapes.describe(this) + " takes [query, value] or [query, value, key]; it was given one input");
  }

  /** The output and attention-score shapes for [query, value(, key)] of these shapes. */
  public List<int[]> outputShapes(List<int[]> shapes) {
    if (shapes.size() < 2 || shapes.size() > 3) {
      throw new InvalidModelException(LayerShapes.describe(this) + " takes [query, value] or [query, value, key], got " + shapes.size() + " inputs");
    }
    int[] q = shapes.get(0);
    int[] v = shapes.get(1);
    int[] k = shapes.size() > 2 ? shapes.get(2) : v;
    if (q.length != 2 || v.length != 2 || k.length != 2) {
      throw new InvalidModelException(LayerShapes.describe(this) + ": query, value and key must be (time, dim), got "
          + Shapes.format(q) + ", " + Shapes.format(v) + ", " + Shapes.format(k));
    }
    if (q[1] < 0 || q[1] != k[1] || (k[0] >= 0 && v[0] >= 0 && k[0] != v[0])) {
      throw new InvalidModelException(LayerShapes.describe(this) + ": query " + Shapes.format(q) + " and key " + Shapes.format(k)
          + " need one known dim, and key and value " + Shapes.format(v) + " one length");
    }
    return List.of(new int[] {q[0], v[1]}, new int[] {q[0], v[0]});
  }

  @Override
  public List<WeightSpec> weightSpecs(int[] queryShape) {
    if (kind == Kind.ADDITIVE) {
      return useScale ? List.of(new WeightSpec("scale", new int[] {queryShape[queryShape.length - 1]}, Initializer.glorotUniform())) : List.of();
    }
    List<WeightSpec> specs = new java.util.ArrayList<>();
    if (useScale) {
      specs.add(new WeightSpec("scale", new int[0], Initializer.ones()));
    }
    if (kind == Kind.CONCAT) {
      specs.add(new WeightSpec("concat_score_weight", new int[0], Initializer.ones()));
    }
    return List.copyOf(specs);
  }

  @Override
  public String toString() {
    return kerasClassName() + "(" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", use_scale=" + useScale + (causal ? ", causal" : "") + ")";
  }
}

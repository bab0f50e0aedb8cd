package org.rnn4j.layers;

import java.util.Arrays;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * Keras' layers that move values without computing: {@code Reshape(target_shape)}, {@code
 * Permute(dims)}, {@code Cropping1D(cropping)}, {@code ZeroPadding1D(padding)} and {@code
 * UpSampling1D(size)}. Each is an index map from output to input elements of one sample ({@link
 * #sources}), with -1 for a padded zero; masks end here, as in Keras.
 */
public final class Rearrange implements Layer {
  /** The layer. */
  public enum Kind {
    RESHAPE("Reshape"),
    PERMUTE("Permute"),
    CROPPING_1D("Cropping1D"),
    ZERO_PADDING_1D("ZeroPadding1D"),
    UP_SAMPLING_1D("UpSampling1D");

    private final String kerasClassName;

    Kind(String kerasClassName) {
      this.kerasClassName = kerasClassName;
    }
  }

  private final Kind kind;
  /** Reshape: the target shape (-1 for the inferred size); Permute: the dims (1-based); others: [before, after] or [size]. */
  private final int[] args;
  private final String name;

  private Rearrange(Kind kind, int[] args, String name) {
    this.kind = kind;
    this.args = args.clone();
    this.name = name;
  }

  public static Rearrange reshape(int[] targetShape, String name) {
    if (Arrays.stream(targetShape).filter(d -> d == -1).count() > 1 || Arrays.stream(targetShape).anyMatch(d -> d == 0 || d < -1)) {
      throw new InvalidModelException("Reshape: target_shape " + Arrays.toString(targetShape) + " must hold positive sizes and at most one -1");
    }
    return new Rearrange(Kind.RESHAPE, targetShape, name);
  }

  /** {@code Permute(dims)}: a permutation of 1..rank (the batch axis stays). */
  public static Rearrange permute(int[] dims, String name) {
    int[] sorted = dims.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] != i + 1) {
        throw new InvalidModelException("Permute: dims " + Arrays.toString(dims) + " must be a permutation of 1.." + dims.length);
      }
    }
    return new Rearrange(Kind.PERMUTE, dims, name);
  }

  public static Rearrange cropping1d(int before, int after, String name) {
    return new Rearrange(Kind.CROPPING_1D, checked(before, after, "Cropping1D"), name);
  }

  public static Rearrange zeroPadding1d(int before, int after, String name) {
    return new Rearrange(Kind.ZERO_PADDING_1D, checked(before, after, "ZeroPadding1D"), name);
  }

  public static Rearrange upSampling1d(int size, String name) {
    if (size <= 0) {
      throw new InvalidModelException("UpSampling1D: size must be positive, got " + size);
    }
    return new Rearrange(Kind.UP_SAMPLING_1D, new int[] {size}, name);
  }

  private static int[] checked(int before, int after, String what) {
    if (before < 0 || after < 0) {
      throw new InvalidModelException(what + ": sizes must not be negative, got (" + before + ", " + after + ")");
    }
    return new int[] {before, after};
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The layer's arguments: Reshape's target shape (-1 inferred), Permute's dims (1-based), the
   * (before, after) steps of Cropping1D and ZeroPadding1D, UpSampling1D's size.
   */
  public int[] arguments() {
    return args.clone();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return kind.kerasClassName;
  }

  @Override
  public int[] outputShape(int[] in) {
    return switch (kind) {
      case RESHAPE -> {
        long known = 1;
        boolean open = false;
        for (int d : in) {
          if (d < 0) {
            open = true;
          } else {
            known *= d;
          }
        }
        int[] out = args.clone();
        long target = 1;
        int inferred = -1;
        for (int i = 0; i < out.length; i++) {
          if (out[i] == -1) {
            inferred = i;
          } else {
            target *= out[i];
          }
        }
        if (!open) {
          if (inferred >= 0) {
            if (known % target != 0) {
              throw mismatch(in);
            }
            out[inferred] = (int) (known / target);
          } else if (known != target) {
            throw mismatch(in);
          }
        } else if (inferred < 0) {
          throw new InvalidModelException(LayerShapes.describe(this) + ": cannot reshape an input of open size " + Shapes.format(in)
              + " to the fixed " + Shapes.format(args));
        }
        yield out;
      }
      case PERMUTE -> {
        if (args.length != in.length) {
          throw new InvalidModelException(LayerShapes.describe(this) + ": dims " + Arrays.toString(args) + " do not fit an input of shape "
              + Shapes.format(in));
        }
        int[] out = new int[in.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = in[args[i] - 1];
        }
        yield out;
      }
      case CROPPING_1D, ZERO_PADDING_1D, UP_SAMPLING_1D -> {
        LayerShapes.requireRank(this, in, 2, "(steps, features)");
        int[] out = in.clone();
        if (in[0] >= 0) {
          out[0] = switch (kind) {
            case CROPPING_1D -> in[0] - args[0] - args[1];
            case ZERO_PADDING_1D -> in[0] + args[0] + args[1];
            default -> in[0] * args[0];
          };
          if (out[0] <= 0) {
            throw new InvalidModelException(LayerShapes.describe(this) + ": crops all " + in[0] + " steps");
          }
        }
        yield out;
      }
    };
  }

  private InvalidModelException mismatch(int[] in) {
    return new InvalidModelException(LayerShapes.describe(this) + ": cannot reshape " + Shapes.format(in) + " to " + Shapes.format(args));
  }

  /**
   * For an input of known shape {@code in} (without batch): for every output element of one sample,
   * the input element it copies, or -1 for a zero.
   */
  public int[] sources(int[] in) {
    int[] out = outputShape(in);
    int n = Shapes.elementCount(out);
    int[] src = new int[n];
    switch (kind) {
      case RESHAPE -> {
        for (int i = 0; i < n; i++) {
          src[i] = i;
        }
      }
      case PERMUTE -> {
        int[] inStrides = strides(in);
        int[] idx = new int[out.length];
        for (int i = 0; i < n; i++) {
          int rest = i;
          for (int d = out.length - 1; d >= 0; d--) {
            idx[d] = rest % out[d];
            rest /= out[d];
          }
          int s = 0;
          for (int d = 0; d < out.length; d++) {
            s += idx[d] * inStrides[args[d] - 1];
          }
          src[i] = s;
        }
      }
      default -> {
        int features = in[1];
        for (int t = 0; t < out[0]; t++) {
          int from = switch (kind) {
            case CROPPING_1D -> t + args[0];
            case ZERO_PADDING_1D -> t - args[0] >= 0 && t - args[0] < in[0] ? t - args[0] : -1;
            default -> t / args[0];
          };
          for (int f = 0; f < features; f++) {
            src[t * features + f] = from < 0 ? -1 : from * features + f;
          }
        }
      }
    }
    return src;
  }

  private static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      s[d] = acc;
      acc *= shape[d];
    }
    return s;
  }


  @Override
  public String toString() {
    return kind.kerasClassName + Arrays.toString(args);
  }
}

package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.InvalidModelException;
import org.rnn4j.Shapes;

/**
 * A {@code keras.ops} call that a functional config records as a node ({@code NotEqual}, {@code
 * Cast}, {@code Add}, ... in Keras 3; {@code TFOpLambda} in tf.keras 2): an element-wise
 * comparison, arithmetic or cast of tensors of one shape and scalar constants. Booleans are
 * float 1 and 0, as rnn4j's masks are; a cast to an integer type truncates toward zero.
 */
public final class Operation implements Layer {
  /** The element-wise operation. */
  public enum Kind {
    EQUAL(2),
    NOT_EQUAL(2),
    GREATER(2),
    GREATER_EQUAL(2),
    LESS(2),
    LESS_EQUAL(2),
    ADD(2),
    SUBTRACT(2),
    MULTIPLY(2),
    DIVIDE(2),
    MAXIMUM(2),
    MINIMUM(2),
    LOGICAL_AND(2),
    LOGICAL_OR(2),
    LOGICAL_NOT(1),
    NEGATIVE(1),
    /** To float32: the identity. */
    CAST_FLOAT(1),
    /** To an integer type: truncation toward zero. */
    CAST_INT(1),
    /** To bool: 1 where non-zero. */
    CAST_BOOL(1);

    private final int arity;

    Kind(int arity) {
      this.arity = arity;
    }

    public int arity() {
      return arity;
    }

    /** The operation on two values (the second is ignored by unary operations). */
    public float apply(float a, float b) {
      return switch (this) {
        case EQUAL -> a == b ? 1f : 0f;
        case NOT_EQUAL -> a != b ? 1f : 0f;
        case GREATER -> a > b ? 1f : 0f;
        case GREATER_EQUAL -> a >= b ? 1f : 0f;
        case LESS -> a < b ? 1f : 0f;
        case LESS_EQUAL -> a <= b ? 1f : 0f;
        case ADD -> a + b;
        case SUBTRACT -> a - b;
        case MULTIPLY -> a * b;
        case DIVIDE -> a / b;
        case MAXIMUM -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b);
        case MINIMUM -> Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.min(a, b);
        case LOGICAL_AND -> a != 0 && b != 0 ? 1f : 0f;
        case LOGICAL_OR -> a != 0 || b != 0 ? 1f : 0f;
        case LOGICAL_NOT -> a == 0 ? 1f : 0f;
        case NEGATIVE -> -a;
        case CAST_FLOAT -> a;
        case CAST_INT -> (float) (long) a;
        case CAST_BOOL -> a != 0 ? 1f : 0f;
      };
    }
  }

  private final Kind kind;
  private final String kerasClassName;
  /** The operands in order: a constant, or null where a tensor input goes. */
  private final List<Float> operands;
  private final String name;

  private Operation(Kind kind, String kerasClassName, List<Float> operands, String name) {
    if (operands.size() != kind.arity) {
      throw new InvalidModelException(kerasClassName + " '" + name + "' takes " + kind.arity + " operands, got " + operands.size());
    }
    if (operands.stream().noneMatch(o -> o == null)) {
      throw new InvalidModelException(kerasClassName + " '" + name + "' has no tensor operand");
    }
    this.kind = kind;
    this.kerasClassName = kerasClassName;
    this.operands = Collections.unmodifiableList(new ArrayList<>(operands));
    this.name = name;
  }

  /**
   * An operation node.
   *
   * @param kerasClassName the class the config names ({@code NotEqual}, {@code TFOpLambda}, ...)
   * @param operands a constant per constant operand, null per tensor operand, in order
   */
  public static Operation of(Kind kind, String kerasClassName, List<Float> operands, String name) {
    return new Operation(kind, kerasClassName, operands, name);
  }

  public Kind kind() {
    return kind;
  }

  /** The operands in order: a constant, or null where the next tensor input goes. */
  public List<Float> operands() {
    return operands;
  }

  /** The number of tensor inputs. */
  public int tensorInputs() {
    return (int) operands.stream().filter(o -> o == null).count();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kerasClassName() {
    return kerasClassName;
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return outputShape(List.of(inputShape));
  }

  /** The output shape: the tensor inputs' common shape. */
  public int[] outputShape(List<int[]> shapes) {
    if (shapes.size() != tensorInputs()) {
      throw new InvalidModelException(LayerShapes.describe(this) + " takes " + tensorInputs() + " tensor inputs, got " + shapes.size());
    }
    int[] first = shapes.get(0);
    for (int[] s : shapes) {
      if (s.length != first.length) {
        throw new InvalidModelException(LayerShapes.describe(this) + ": operands of shapes " + Shapes.format(first) + " and "
            + Shapes.format(s) + " need broadcasting, which is not supported");
      }
      for (int d = 0; d < s.length; d++) {
        if (s[d] >= 0 && first[d] >= 0 && s[d] != first[d]) {
          throw new InvalidModelException(LayerShapes.describe(this) + ": operands of shapes " + Shapes.format(first) + " and "
              + Shapes.format(s) + " need broadcasting, which is not supported");
        }
      }
    }
    return first.clone();
  }


  @Override
  public String defaultName() {
    return StackedRNNCells.snakeCase(kind.name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public String toString() {
    return kerasClassName + "(" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", operands=" + operands + ")";
  }
}

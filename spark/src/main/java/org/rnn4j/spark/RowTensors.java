package org.rnn4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Tensor;

/** Between DataFrame cells and tensors: a batch of samples in, one sample's rows out. */
final class RowTensors {
  private RowTensors() {}

  /**
   * The cells of column {@code column} in rows {@code rows} of {@code chunk} as one batch: {@code
   * (batch, time, features)} for sequences of float vectors, {@code (batch, time)} for token ids.
   */
  static Tensor stack(List<Row> chunk, List<Integer> rows, int column) {
    List<?> first = cell(chunk.get(rows.get(0)), column);
    boolean sequences = !first.isEmpty() && first.get(0) instanceof scala.collection.Seq;
    int time = first.size();
    int features = sequences ? ((scala.collection.Seq<?>) first.get(0)).size() : 1;
    float[] data = new float[rows.size() * time * features];
    int pos = 0;
    for (int r : rows) {
      List<?> seq = cell(chunk.get(r), column);
      for (Object step : seq) {
        if (sequences) {
          scala.collection.Seq<?> v = (scala.collection.Seq<?>) step;
          if (v.size() != features) {
            throw new InvalidInputException("row " + r + ": a time step of " + v.size() + " features, the first row's have " + features);
          }
          for (int f = 0; f < features; f++) {
            data[pos++] = ((Number) v.apply(f)).floatValue();
          }
        } else {
          data[pos++] = ((Number) step).floatValue();
        }
      }
    }
    return sequences ? Tensor.wrap(new int[] {rows.size(), time, features}, data) : Tensor.wrap(new int[] {rows.size(), time}, data);
  }

  private static List<?> cell(Row row, int column) {
    if (row.isNullAt(column)) {
      throw new InvalidInputException("column " + row.schema().fieldNames()[column] + ": a null sequence");
    }
    return row.getList(column);
  }

  /** A cell holding nested Scala sequences of numbers (an output column's value) as a tensor of its shape. */
  static Tensor tensorOf(Object cell) {
    List<Integer> shape = new ArrayList<>();
    Object c = cell;
    while (c instanceof scala.collection.Seq<?> s) {
      shape.add(s.size());
      c = s.isEmpty() ? null : s.apply(0);
    }
    int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    float[] data = new float[n];
    int[] pos = {0};
    flatten(cell, data, pos);
    return Tensor.wrap(dims, data);
  }

  private static void flatten(Object cell, float[] data, int[] pos) {
    if (cell instanceof scala.collection.Seq<?> s) {
      for (int k = 0; k < s.size(); k++) {
        flatten(s.apply(k), data, pos);
      }
    } else {
      data[pos[0]++] = ((Number) cell).floatValue();
    }
  }

  /** Sample {@code i} of a batch tensor as nested Scala sequences of floats (its per-sample shape), as Spark rows hold arrays. */
  static Object sample(Tensor t, int i) {
    int[] shape = t.shape();
    int per = t.size() / shape[0];
    float[] all = t.toArray();
    return nest(all, i * per, java.util.Arrays.copyOfRange(shape, 1, shape.length), 0);
  }

  private static Object nest(float[] data, int offset, int[] shape, int axis) {
    if (axis == shape.length) {
      return data[offset];
    }
    int stride = 1;
    for (int a = axis + 1; a < shape.length; a++) {
      stride *= shape[a];
    }
    List<Object> out = new ArrayList<>(shape[axis]);
    for (int k = 0; k < shape[axis]; k++) {
      out.add(nest(data, offset + k * stride, shape, axis + 1));
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(out).toSeq();
  }
}

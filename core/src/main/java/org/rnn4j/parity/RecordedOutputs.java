package org.rnn4j.parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Result;
import org.rnn4j.Shapes;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npz;

/**
 * A model's outputs recorded in Python, the baseline of a parity test. Either positional, as
 * {@code np.savez(path, *outputs)} writes the list {@code model.predict} returns ({@code arr_0},
 * {@code arr_1}, ...), or named as {@code rnn4j run} writes them ({@code output} or {@code
 * output_0}, {@code output_1}, ..., then {@code state_0}, ...).
 *
 * <pre>{@code
 * RecordedOutputs keras = RecordedOutputs.read(Path.of("keras_outputs.npz"));
 * CrossCheck check = CrossCheck.againstRecorded(keras, Map.of("reference", result), Tolerance.FLOAT32);
 * }</pre>
 */
public final class RecordedOutputs {
  private final String source;
  private final Map<String, Tensor> arrays;
  private final boolean positional;

  private RecordedOutputs(String source, Map<String, Tensor> arrays) {
    this.source = source;
    this.arrays = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    this.positional = !arrays.isEmpty() && arrays.keySet().stream().allMatch(k -> k.matches("arr_\\d+"));
    if (arrays.isEmpty()) {
      throw new InvalidInputException(source + ": holds no arrays");
    }
  }

  /**
   * The arrays of an {@code .npz} file.
   *
   * @throws InvalidInputException naming the file if it is not an {@code .npz} or holds no arrays
   */
  public static RecordedOutputs read(Path npz) {
    try {
      return new RecordedOutputs(npz.toString(), Npz.read(npz));
    } catch (org.rnn4j.FileFormatException e) {
      throw new InvalidInputException(e.getMessage().startsWith(npz.toString()) ? e.getMessage() : npz + ": " + e.getMessage(), e);
    }
  }

  /** Arrays by name ({@code arr_0}, ... or {@code output}, {@code state_0}, ...); {@code source} names them in messages. */
  public static RecordedOutputs of(String source, Map<String, Tensor> arrays) {
    return new RecordedOutputs(source, arrays);
  }

  /** The list {@code model.predict} returned, in order. */
  public static RecordedOutputs of(String source, List<Tensor> outputs) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      m.put("arr_" + i, outputs.get(i));
    }
    return new RecordedOutputs(source, m);
  }

  /** Where the arrays came from. */
  public String source() {
    return source;
  }

  /** The recorded arrays by name, in the file's order. */
  public Map<String, Tensor> arrays() {
    return arrays;
  }

  /** Whether the arrays are positional ({@code arr_0}, ...) rather than named. */
  public boolean positional() {
    return positional;
  }

  /**
   * The result's tensors under the recording's names, in the recording's order.
   *
   * @throws InvalidInputException naming the array that is missing, extra or of another shape
   *     than the model returned
   */
  public Map<String, Tensor> match(Result result) {
    List<Tensor> flat = result.flat();
    List<String> names = names(result);
    List<String> labels = CrossCheck.labels(result);
    for (String k : arrays.keySet()) {
      if (!names.contains(k)) {
        throw new InvalidInputException(source + ": unexpected array '" + k + "': the model returns " + names.size() + " ("
            + describe(names, labels) + ")");
      }
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Tensor recorded = arrays.get(names.get(i));
      if (recorded == null) {
        throw new InvalidInputException(source + ": missing array '" + names.get(i) + "' (" + labels.get(i)
            + "): the model returns " + names.size() + " (" + describe(names, labels) + ")");
      }
      if (!java.util.Arrays.equals(recorded.shape(), flat.get(i).shape())) {
        throw new InvalidInputException(source + ": array '" + names.get(i) + "' (" + labels.get(i) + ") has shape "
            + Shapes.format(recorded.shape()) + ", the model returns " + Shapes.format(flat.get(i).shape()));
      }
      out.put(names.get(i), flat.get(i));
    }
    return out;
  }

  /** Each recorded name with what Keras calls the tensor ({@code arr_1 (h)}). */
  Map<String, String> labels(Result result) {
    List<String> names = names(result);
    List<String> labels = CrossCheck.labels(result);
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      out.put(names.get(i), names.get(i).equals(labels.get(i)) ? labels.get(i) : names.get(i) + " (" + labels.get(i) + ")");
    }
    return out;
  }

  private List<String> names(Result result) {
    if (!positional) {
      return result.flatNames();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < result.flat().size(); i++) {
      names.add("arr_" + i);
    }
    return names;
  }

  private static String describe(List<String> names, List<String> labels) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      parts.add(names.get(i) + " = " + labels.get(i));
    }
    return String.join(", ", parts);
  }
}

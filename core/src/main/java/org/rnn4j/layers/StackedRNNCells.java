package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.InvalidModelException;

/**
 * Keras {@code StackedRNNCells}: a cell made of cells. Each cell's output is the next cell's input;
 * the stack's output is the last cell's output; its states are every cell's states, cell after
 * cell. {@code RNN(StackedRNNCells([c1, c2]))} returns its final states nested per cell: {@code
 * [h1, c1], [h2, c2]}.
 */
public final class StackedRNNCells implements RNNCell {
  private final List<SingleCell> cells;
  private final List<String> cellNames;
  private final String name;

  private StackedRNNCells(List<SingleCell> cells, String name) {
    if (cells.isEmpty()) {
      throw new InvalidModelException("StackedRNNCells needs at least one cell");
    }
    this.cells = List.copyOf(cells);
    this.cellNames = defaultNames(this.cells);
    this.name = name;
  }

  public static StackedRNNCells of(SingleCell... cells) {
    return new StackedRNNCells(List.of(cells), null);
  }

  public static StackedRNNCells of(List<? extends SingleCell> cells, String name) {
    return new StackedRNNCells(new ArrayList<>(cells), name);
  }

  /** Cell names as Keras would give them: the cell's own, else {@code lstm_cell}, {@code lstm_cell_1}, ... */
  private static List<String> defaultNames(List<SingleCell> cells) {
    Map<String, Integer> counts = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (SingleCell c : cells) {
      if (c.name() != null) {
        names.add(c.name());
        continue;
      }
      String base = snakeCase(c.kerasClassName());
      int n = counts.merge(base, 1, Integer::sum) - 1;
      names.add(n == 0 ? base : base + "_" + n);
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new InvalidModelException("StackedRNNCells: cell names must be unique, got " + names);
    }
    return List.copyOf(names);
  }

  static String snakeCase(String className) {
    return className
        .replace("LSTM", "Lstm")
        .replace("GRU", "Gru")
        .replace("RNN", "Rnn")
        .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
        .toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public List<SingleCell> cells() {
    return cells;
  }

  /** The names of the cells, in order (given names, or Keras-style defaults). */
  public List<String> cellNames() {
    return cellNames;
  }

  @Override
  public int outputSize() {
    return cells.get(cells.size() - 1).outputSize();
  }

  @Override
  public List<Integer> stateSizes() {
    List<Integer> sizes = new ArrayList<>();
    cells.forEach(c -> sizes.addAll(c.stateSizes()));
    return List.copyOf(sizes);
  }

  /** {@code h1, c1, h2, c2, ...}: each cell's state names numbered by the cell's position. */
  @Override
  public List<String> stateNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      for (String s : cells.get(i).stateNames()) {
        names.add(s + (i + 1));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public List<WeightSpec> weightSpecs(int inputSize) {
    List<WeightSpec> specs = new ArrayList<>();
    int in = inputSize;
    for (int i = 0; i < cells.size(); i++) {
      for (WeightSpec w : cells.get(i).weightSpecs(in)) {
        specs.add(w.prefixed(cellNames.get(i)));
      }
      in = cells.get(i).outputSize();
    }
    return List.copyOf(specs);
  }

  @Override
  public String kerasClassName() {
    return "StackedRNNCells";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "StackedRNNCells" + cells;
  }
}

package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns; numeric columns are right-aligned. */
final class TextTable {
  private final List<String> headers;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... headers) {
    this.headers = List.of(headers);
    this.rightAligned = new boolean[headers.length];
  }

  /** Right-aligns the given columns (numbers). */
  TextTable right(int... columns) {
    for (int c : columns) {
      rightAligned[c] = true;
    }
    return this;
  }

  void add(String... cells) {
    rows.add(List.of(cells));
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  String render(String indent) {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, indent, headers, width);
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    sb.append(indent).append(rule).append('\n');
    rows.forEach(r -> line(sb, indent, r, width));
    return sb.toString();
  }

  private void line(StringBuilder sb, String indent, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder(indent);
    for (int c = 0; c < width.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      l.append(c == 0 ? "" : "  ").append(rightAligned[c] ? pad + cell : cell + pad);
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }
}

package org.rnn4j.keras;

import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.rnn4j.FileFormatException;

/**
 * Every object of an HDF5 file by its path, with {@code \} inside a name read as a separator (tf.keras
 * 2 on Windows joined paths with {@code \}, and HDF5 keeps such a path as one name): {@code a\b/vars/0}
 * and {@code a/b/vars/0} are the same path here. Hard links that loop are followed once.
 */
final class H5Paths {
  /** More objects than any Keras weights file holds: a file beyond it is refused rather than indexed. */
  private static final int MAX_OBJECTS = 1_000_000;

  private final Map<String, String> rawByPath = new HashMap<>();
  private final Map<String, Set<String>> children = new HashMap<>();
  private final Set<String> holdingData = new HashSet<>();

  private H5Paths() {}

  static H5Paths of(Group root, String source) {
    H5Paths index = new H5Paths();
    Set<Long> seen = new HashSet<>();
    ArrayDeque<Map.Entry<String, Group>> todo = new ArrayDeque<>();
    todo.push(Map.entry("", root));
    while (!todo.isEmpty()) {
      Map.Entry<String, Group> e = todo.pop();
      String rawParent = e.getKey();
      for (Node n : e.getValue().getChildren().values()) {
        String raw = rawParent.isEmpty() ? n.getName() : rawParent + "/" + n.getName();
        if (index.rawByPath.size() >= MAX_OBJECTS) {
          throw new FileFormatException(source + ": more than " + MAX_OBJECTS + " HDF5 objects (not a Keras weights file)");
        }
        index.add(normal(raw), raw, !(n instanceof Group));
        if (n instanceof Group g && !n.isLink() && seen.add(g.getAddress())) {
          todo.push(Map.entry(raw, g));
        }
      }
    }
    return index;
  }

  /** A path as written in the file, with {@code \} read as {@code /}. */
  static String normal(String raw) {
    return raw.replace('\\', '/');
  }

  private void add(String path, String raw, boolean dataset) {
    rawByPath.putIfAbsent(path, raw);
    String child = path;
    int slash;
    while ((slash = child.lastIndexOf('/')) >= 0) {
      String parent = child.substring(0, slash);
      children.computeIfAbsent(parent, k -> new LinkedHashSet<>()).add(child.substring(slash + 1));
      if (dataset) {
        holdingData.add(parent);
      }
      child = parent;
    }
    children.computeIfAbsent("", k -> new LinkedHashSet<>()).add(child);
  }

  /** The path as written in the file of the object at {@code path}, or null when there is none. */
  String raw(String path) {
    return rawByPath.get(path);
  }

  boolean hasChild(String parent, String name) {
    return children.getOrDefault(parent, Set.of()).contains(name);
  }

  /** The names of the objects directly under {@code parent}. */
  List<String> children(String parent) {
    return new ArrayList<>(children.getOrDefault(parent, Set.of()));
  }

  /**
   * The children of {@code parent} named {@code base} or {@code base_N} that hold a dataset at any
   * depth, in the order of N ({@code base} first).
   */
  ArrayDeque<String> numberedWithData(String parent, String base) {
    Pattern numbered = Pattern.compile(Pattern.quote(base) + "(_\\d{1,9})?");
    List<String> names = new ArrayList<>();
    for (String c : children.getOrDefault(parent, Set.of())) {
      if (numbered.matcher(c).matches() && holdingData.contains(parent.isEmpty() ? c : parent + "/" + c)) {
        names.add(c);
      }
    }
    names.sort(Comparator.comparingInt(c -> c.length() == base.length() ? 0 : Integer.parseInt(c.substring(base.length() + 1))));
    return new ArrayDeque<>(names);
  }
}

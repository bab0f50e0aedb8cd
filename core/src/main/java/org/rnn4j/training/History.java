package org.rnn4j.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Trainer#fit} recorded: per epoch, the loss and metrics ({@code loss}, {@code
 * accuracy}, {@code val_loss}, {@code val_accuracy}), as Keras' {@code History.history}; and the
 * epoch at which early stopping ended training, if it did.
 */
public final class History {
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private int epochs;
  private int stoppedEpoch = -1;

  void record(Map<String, Double> logs) {
    logs.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    epochs++;
  }

  void stoppedAt(int epoch) {
    stoppedEpoch = epoch;
  }

  /** The epochs trained. */
  public int epochs() {
    return epochs;
  }

  /** Each recorded value per epoch, in the order first recorded. */
  public Map<String, List<Double>> values() {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, Collections.unmodifiableList(v)));
    return Collections.unmodifiableMap(out);
  }

  /** The values of {@code name} per epoch (empty if never recorded). */
  public List<Double> get(String name) {
    return Collections.unmodifiableList(values.getOrDefault(name, List.of()));
  }

  /** The (0-based) epoch after which early stopping ended training, or -1. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /**
   * The history as JSON: {@code {"epoch": [0, 1, ...], "history": {"loss": [...], ...},
   * "stopped_epoch": n or null}}; each value as float32 would print it.
   */
  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ArrayNode epochList = root.putArray("epoch");
    for (int e = 0; e < epochs; e++) {
      epochList.add(e);
    }
    ObjectNode h = root.putObject("history");
    values.forEach((k, v) -> {
      ArrayNode a = h.putArray(k);
      v.forEach(x -> a.add(Double.parseDouble(Float.toString(x.floatValue()))));
    });
    if (stoppedEpoch >= 0) {
      root.put("stopped_epoch", stoppedEpoch);
    } else {
      root.putNull("stopped_epoch");
    }
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

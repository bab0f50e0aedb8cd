package org.rnn4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.TimeDistributed;

/**
 * One RTNeural golden model (tf.keras 2.x): TD-Dense/LSTM/GRU(reset_after=True)/Dense layers with
 * {@code return_sequences}, run over 100 steps of {@code 10 sin(0.1 π n)}; the expected value is
 * the model's output at every step. The JSON does not record recurrent activations; they are
 * sigmoid (the tf.keras default the models were built with).
 *
 * @param name lstm, gru, lstm_1d or gru_1d
 * @param model the model with its weights
 * @param input {@code (1, 100, 1)}
 * @param expected {@code (1, 100, 1)}
 */
public record RtNeuralCase(String name, Model model, Tensor input, Tensor expected) {
  @Override
  public String toString() {
    return "RTNeural " + name;
  }

  public static List<RtNeuralCase> all() {
    return List.of(load("lstm"), load("gru"), load("lstm_1d"), load("gru_1d"));
  }

  static RtNeuralCase load(String name) {
    JsonNode json = Golden.json("rtneural/models/" + name + ".json");
    List<Layer> layers = new ArrayList<>();
    List<Tensor> weights = new ArrayList<>();
    for (JsonNode l : json.get("layers")) {
      int units = l.get("shape").get(2).asInt();
      Activation act = Activation.fromKeras(l.get("activation").asText(), 2);
      String type = l.get("type").asText();
      layers.add(switch (type) {
        case "time-distributed-dense" -> TimeDistributed.of(Dense.builder(units).activation(act).build());
        case "dense" -> Dense.builder(units).activation(act).build();
        case "lstm" -> LSTM.builder(units).activation(act).returnSequences(true).build();
        case "gru" -> GRU.builder(units).activation(act).resetAfter(true).returnSequences(true).build();
        default -> throw new IllegalArgumentException("unknown RTNeural layer " + type);
      });
      for (JsonNode w : l.get("weights")) {
        weights.add(array(w));
      }
    }
    Tensor x = column(Golden.text("rtneural/test_data/" + name + "_x_python.csv"));
    Tensor y = column(Golden.text("rtneural/test_data/" + name + "_y_python.csv"));
    Model model = Model.of(Sequential.of(name, InputSpec.sequence(1), layers), weights);
    return new RtNeuralCase(name, model, x, y);
  }

  private static Tensor array(JsonNode w) {
    if (!w.get(0).isArray()) {
      float[] v = new float[w.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) w.get(i).asDouble();
      }
      return Tensor.of(v);
    }
    float[][] m = new float[w.size()][w.get(0).size()];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = (float) w.get(i).get(j).asDouble();
      }
    }
    return Tensor.of(m);
  }

  /** One value per line, as {@code (1, n, 1)}. */
  private static Tensor column(String csv) {
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    float[] v = new float[lines.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Double.parseDouble(lines.get(i).trim());
    }
    return Tensor.wrap(new int[] {1, v.length, 1}, v);
  }
}

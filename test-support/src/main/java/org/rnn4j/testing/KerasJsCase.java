package org.rnn4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.layers.Activation;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.GRU;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.MergeMode;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SimpleRNN;

/**
 * One keras-js golden case (Keras 2.0.x): the layer built from {@code cases_config.json}, its
 * weights, a batch-1 input and Keras' output. Stateful cases were predicted twice on the same
 * input; {@link #expected} is the second call's output.
 *
 * @param id the case id, e.g. {@code recurrent.LSTM.3}
 * @param model the layer as a one-layer model, with the case's weights
 * @param input {@code (1, time, features)}
 * @param expected Keras' output, with the batch axis
 * @param predictCalls 1, or 2 for stateful cases
 */
public record KerasJsCase(String id, Model model, Tensor input, Tensor expected, int predictCalls) {
  /** The absolute tolerance for these cases: the data is rounded to 6 decimals. */
  public static final double ATOL = 5e-6;

  @Override
  public String toString() {
    return id;
  }

  /** Every case of one file: {@code LSTM}, {@code GRU}, {@code SimpleRNN} or {@code Bidirectional}. */
  public static List<KerasJsCase> load(String file) {
    JsonNode configs = Golden.json("keras-js/cases_config.json");
    JsonNode data = Golden.json("keras-js/" + file + ".json");
    List<KerasJsCase> cases = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      cases.add(of(e.getKey(), configs.get(e.getKey()), e.getValue()));
    }
    return cases;
  }

  private static KerasJsCase of(String id, JsonNode config, JsonNode data) {
    Tensor input = Golden.tensor(data.get("input"));
    List<Tensor> weights = new ArrayList<>();
    data.get("weights").forEach(w -> weights.add(Golden.tensor(w)));
    Tensor expected = Golden.tensor(data.get("expected"));
    int[] inShape = input.shape();
    int[] outShape = expected.shape();
    RNN inner = recurrent(config.has("inner_layer") ? config.get("inner_layer").asText() : config.get("layer").asText(), config);
    Sequential arch =
        config.get("layer").asText().equals("Bidirectional")
            ? Sequential.of(InputSpec.of(inShape), Bidirectional.of(inner, MergeMode.fromKeras(config.get("merge_mode").asText())))
            : Sequential.of(InputSpec.of(inShape), inner);
    return new KerasJsCase(
        id,
        Model.of(arch, weights).withSource("keras-js " + id),
        input.reshape(prepend(1, inShape)),
        expected.reshape(prepend(1, outShape)),
        config.get("predict_calls").asInt());
  }

  private static RNN recurrent(String layer, JsonNode c) {
    int units = c.get("units").asInt();
    Activation act = Activation.fromKeras(c.get("activation").asText(), 2);
    boolean seq = c.get("return_sequences").asBoolean();
    boolean back = c.path("go_backwards").asBoolean(false);
    boolean stateful = c.path("stateful").asBoolean(false);
    boolean bias = c.path("use_bias").asBoolean(true);
    return switch (layer) {
      case "LSTM" ->
          LSTM.builder(units).activation(act).recurrentActivation(Activation.fromKeras(c.get("recurrent_activation").asText(), 2))
              .useBias(bias).returnSequences(seq).goBackwards(back).stateful(stateful).build();
      case "GRU" ->
          GRU.builder(units).activation(act).recurrentActivation(Activation.fromKeras(c.get("recurrent_activation").asText(), 2))
              .resetAfter(c.path("reset_after").asBoolean(false)).useBias(bias).returnSequences(seq).goBackwards(back)
              .stateful(stateful).build();
      case "SimpleRNN" ->
          SimpleRNN.builder(units).activation(act).useBias(bias).returnSequences(seq).goBackwards(back).stateful(stateful).build();
      default -> throw new IllegalArgumentException("unknown keras-js layer " + layer);
    };
  }

  private static int[] prepend(int first, int[] rest) {
    int[] s = new int[rest.length + 1];
    s[0] = first;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }
}

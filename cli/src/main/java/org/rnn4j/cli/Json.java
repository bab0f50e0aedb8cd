package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rnn4j.Result;
import org.rnn4j.StateGroup;
import org.rnn4j.Tensor;

/** Tensors and results as JSON: {@code {"shape": [...], "data": [...]}} with row-major data. */
final class Json {
  private Json() {}

  static ObjectNode tensor(Tensor t) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode shape = o.putArray("shape");
    for (int d : t.shape()) {
      shape.add(d);
    }
    ArrayNode data = o.putArray("data");
    for (int i = 0; i < t.size(); i++) {
      float v = t.getFlat(i);
      if (Float.isFinite(v)) {
        data.add(v);
      } else {
        data.add(Float.toString(v));
      }
    }
    return o;
  }

  static ObjectNode result(Result r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode outputs = o.putArray("outputs");
    r.outputs().forEach(t -> outputs.add(tensor(t)));
    o.put("states_nested", r.statesNested());
    ArrayNode states = o.putArray("states");
    for (StateGroup g : r.states()) {
      ObjectNode s = states.addObject();
      s.put("cell", g.label());
      ObjectNode values = s.putObject("values");
      for (int i = 0; i < g.names().size(); i++) {
        values.set(g.names().get(i), tensor(g.tensors().get(i)));
      }
    }
    return o;
  }
}

package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.InvalidModelException;
import org.rnn4j.LayerStates;
import org.rnn4j.Model;
import org.rnn4j.Result;
import org.rnn4j.Tensor;

class SequentialTest {
  @Test
  void namesLayersAndLaysOutWeightsAsKeras() {
    Sequential s =
        Sequential.of(InputSpec.sequence(6), LSTM.builder(4).returnSequences(true).build(), LSTM.of(5), Dense.of(1));
    assertEquals(List.of("lstm", "lstm_1", "dense"), List.of(s.layerName(0), s.layerName(1), s.layerName(2)));
    assertEquals(
        "[lstm/kernel(6, 16), lstm/recurrent_kernel(4, 16), lstm/bias(16,), lstm_1/kernel(4, 20),"
            + " lstm_1/recurrent_kernel(5, 20), lstm_1/bias(20,), dense/kernel(5, 1), dense/bias(1,)]",
        s.weightSpecs().toString());
    assertArrayEquals(new int[] {-1, 4}, s.outputShape(0));
    assertArrayEquals(new int[] {1}, s.outputShape());
    assertEquals(List.of(0, 1), s.recurrentLayers());
    assertEquals(6 * 16 + 4 * 16 + 16 + 4 * 20 + 5 * 20 + 20 + 5 + 1, s.parameterCount());
  }

  @Test
  void keepsKerasCellAndLayerDefaults() {
    LSTMCell c = LSTMCell.of(3);
    assertEquals(Activation.TANH, c.activation());
    assertEquals(Activation.SIGMOID, c.recurrentActivation());
    assertTrue(c.useBias() && c.unitForgetBias());
    assertTrue(GRUCell.of(3).resetAfter());
    assertArrayEquals(new int[] {2, 9}, GRUCell.of(3).biasShape());
    RNN gru = GRU.of(3);
    assertEquals("GRU", gru.kerasClassName());
    assertEquals("gru", gru.defaultName());
    assertEquals("simple_rnn", SimpleRNN.of(2).defaultName());
  }

  @Test
  void refusesShapesAndPlacementsKerasRefuses() {
    InvalidModelException e =
        assertThrows(InvalidModelException.class, () -> Sequential.of(InputSpec.of(6), LSTM.of(4)));
    assertTrue(e.getMessage().contains("expects input of shape (time, features)"), e.getMessage());
    e = assertThrows(InvalidModelException.class,
        () -> Sequential.of(InputSpec.sequence(6), LSTM.builder(4).returnState(true).build(), Dense.of(1)));
    assertTrue(e.getMessage().contains("only a model's last layer may set return_state"), e.getMessage());
    e = assertThrows(InvalidModelException.class, () -> LSTMCell.of(0));
    assertTrue(e.getMessage().contains("units must be positive"), e.getMessage());
    e = assertThrows(InvalidModelException.class, () -> Sequential.of(InputSpec.sequence(6), Flatten.of()));
    assertTrue(e.getMessage().contains("needs a fully known input shape"), e.getMessage());
  }

  @Test
  void weightsAreCheckedWithTheirNamesAndShapes() {
    Sequential s = Sequential.of(InputSpec.sequence(6), LSTM.of(4));
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> Model.of(s, List.of(Tensor.zeros(6, 16), Tensor.zeros(4, 12), Tensor.zeros(16))));
    assertEquals("weight 1 'lstm/recurrent_kernel' has shape (4, 12), expected (4, 16)", e.getMessage());
    e = assertThrows(InvalidModelException.class, () -> Model.of(s, List.of(Tensor.zeros(6, 16))));
    assertTrue(e.getMessage().contains("has 3 weights (lstm/kernel(6, 16), lstm/recurrent_kernel(4, 16), lstm/bias(16,)), got 1"),
        e.getMessage());
  }

  @Test
  void resultsNestStatesAsKerasDoes() {
    Tensor o = Tensor.zeros(2, 5);
    Tensor h4 = Tensor.zeros(2, 4);
    Tensor h5 = Tensor.filled(1, 2, 5);
    Sequential stack = Sequential.of(InputSpec.sequence(6),
        RNN.builder(StackedRNNCells.of(LSTMCell.of(4), LSTMCell.of(5))).returnState(true).build());
    Result r = Result.of(stack, List.of(o), LayerStates.of(0, List.of(h4, h4, h5, h5)));
    assertTrue(r.statesNested());
    assertEquals(2, r.states().size());
    assertEquals("lstm_cell_1", r.states().get(1).label());
    assertEquals(List.of("h", "c"), r.states().get(1).names());
    assertEquals(List.of("output", "state_0", "state_1", "state_2", "state_3"), r.flatNames());
    Sequential single = Sequential.of(InputSpec.sequence(6), LSTM.builder(5).returnState(true).build());
    Result s = Result.of(single, List.of(o), LayerStates.of(0, List.of(h5, h5)));
    assertTrue(!s.statesNested());
    assertEquals(List.of(o, h5, h5), s.flat());
    Sequential none = Sequential.of(InputSpec.sequence(6), LSTM.of(5));
    assertEquals(List.of(o), Result.of(none, List.of(o), LayerStates.of(0, List.of(h5, h5))).flat());
  }
}

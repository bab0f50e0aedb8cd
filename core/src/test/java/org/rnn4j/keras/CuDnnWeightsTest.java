package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npz;
import org.rnn4j.layers.GRUCell;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;

/**
 * CuDNNLSTM and CuDNNGRU read as LSTM and GRU(reset_after=True). The expected weights are what
 * Keras' own conversion ({@code hdf5_format.preprocess_weights_for_loading}) gives, computed with
 * NumPy from the same inputs: per gate {@code k.T.reshape(k.shape, order='F')} for input kernels,
 * {@code k.T} for recurrent kernels, the two LSTM biases summed.
 */
class CuDnnWeightsTest {
  @TempDir Path dir;

  private static float[] range(int n, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i * scale;
    }
    return a;
  }

  @Test
  void convertsCuDnnLstmAndGruWeightsAsKerasDoes() throws Exception {
    Path config = dir.resolve("m.json");
    Files.writeString(config, """
        {"class_name": "Sequential", "keras_version": "2.2.4", "config": {"name": "s", "layers": [
          {"class_name": "CuDNNLSTM", "config": {"name": "cu_dnnlstm", "units": 3, "return_sequences": true,
            "batch_input_shape": [null, 5, 2], "stateful": false, "go_backwards": false, "return_state": false}},
          {"class_name": "CuDNNGRU", "config": {"name": "cu_dnngru", "units": 3}}]}}
        """);
    Map<String, Tensor> w = new LinkedHashMap<>();
    w.put("arr_0", Tensor.wrap(new int[] {2, 12}, range(24, 1f)));
    w.put("arr_1", Tensor.wrap(new int[] {3, 12}, range(36, 0.5f)));
    w.put("arr_2", Tensor.wrap(new int[] {24}, range(24, 1f)));
    w.put("arr_3", Tensor.wrap(new int[] {3, 9}, range(27, 1f)));
    w.put("arr_4", Tensor.wrap(new int[] {3, 9}, range(27, 1f)));
    w.put("arr_5", Tensor.wrap(new int[] {18}, range(18, 1f)));
    Path weights = dir.resolve("w.npz");
    Npz.write(weights, w);
    Model m = KerasModels.load(config, weights);
    assertEquals(LSTMCell.class, ((RNN) m.architecture().layer(0)).cell().getClass());
    GRUCell gru = (GRUCell) ((RNN) m.architecture().layer(1)).cell();
    assertEquals(true, gru.resetAfter());
    assertArrayEquals(new float[] {0, 2, 13, 3, 5, 16, 6, 8, 19, 9, 11, 22, 1, 12, 14, 4, 15, 17, 7, 18, 20, 10, 21, 23},
        m.weights().get(0).toArray());
    assertArrayEquals(new float[] {0f, 6f, 12f, 1.5f, 7.5f, 13.5f, 3f, 9f, 15f, 4.5f, 10.5f, 16.5f, 0.5f, 6.5f, 12.5f, 2f, 8f, 14f,
        3.5f, 9.5f, 15.5f, 5f, 11f, 17f, 1f, 7f, 13f, 2.5f, 8.5f, 14.5f, 4f, 10f, 16f, 5.5f, 11.5f, 17.5f}, m.weights().get(1).toArray());
    assertArrayEquals(new float[] {12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34}, m.weights().get(2).toArray());
    assertArrayEquals(new int[] {2, 9}, m.weights().get(5).shape());
    assertArrayEquals(range(18, 1f), m.weights().get(5).toArray());
  }
}

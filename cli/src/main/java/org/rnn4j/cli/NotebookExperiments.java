package org.rnn4j.cli;

import java.util.List;
import org.rnn4j.Model;
import org.rnn4j.Tensor;
import org.rnn4j.layers.InputSpec;
import org.rnn4j.layers.LSTM;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.StackedRNNCells;

/**
 * The two experiments of the seed notebook (lstm-notebook): one LSTM layer, then a two-layer
 * stacked LSTM, with the notebook's exact inputs. Weights come from Keras' default initializers
 * with a seed, identical for every backend.
 */
final class NotebookExperiments {
  /**
   * One experiment.
   *
   * @param title a one-line description
   * @param keras the Keras code the notebook runs
   * @param model the model with seeded weights
   * @param input the notebook's input
   * @param notebookNames the names the notebook gives the returned values
   */
  record Experiment(String title, String keras, Model model, Tensor input, List<String> notebookNames) {}

  private NotebookExperiments() {}

  static List<Experiment> all(long seed) {
    RNN lstm = LSTM.builder(4).returnSequences(true).returnState(true).name("lstm").build();
    RNN stacked =
        RNN.builder(StackedRNNCells.of(LSTMCell.of(4), LSTMCell.of(5))).returnSequences(true).returnState(true).name("rnn").build();
    return List.of(
        new Experiment(
            "one LSTM cell",
            "LSTM(4, return_sequences=True, return_state=True)(inputs)",
            Model.initialized(Sequential.of("notebook_lstm", InputSpec.sequence(6), List.of(lstm)), seed),
            Tensor.of(new float[][][] {{{3, 2, 2, 2, 2, 2}}}),
            List.of("output", "final_memory_state", "final_carry_state")),
        new Experiment(
            "stacked LSTM",
            "RNN(StackedRNNCells([LSTMCell(4), LSTMCell(5)]), return_sequences=True, return_state=True)(x)",
            Model.initialized(Sequential.of("notebook_stacked_lstm", InputSpec.sequence(6), List.of(stacked)), seed),
            Tensor.of(new float[][][] {
              {{1, 2, 3, 4, 3, 2}, {1, 2, 1, 1, 1, 2}, {1, 2, 2, 2, 2, 2}},
              {{1, 2, 3, 4, 3, 2}, {3, 2, 2, 1, 1, 2}, {0, 0, 0, 0, 3, 2}}
            }),
            List.of("output", "final_memory_state", "final_carry_state")));
  }
}

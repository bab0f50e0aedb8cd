package org.rnn4j.layers;

import java.util.List;

/**
 * One time step of a recurrent network, as a Keras cell: it declares its state sizes and its
 * weights; the loop over time belongs to {@link RNN}. A cell is a description: each backend
 * computes it with its own kernels, all tested against the same Keras results.
 */
public sealed interface RNNCell permits SingleCell, StackedRNNCells {

  /** The size of the cell's output (its last state-carrying cell's units). */
  int outputSize();

  /** The sizes of the cell's states in Keras' flattened order (LSTM: h, c). */
  List<Integer> stateSizes();

  /** Short names of the states in the same order ({@code h}, {@code c}). */
  List<String> stateNames();

  /** The weights for a given input feature size, in Keras {@code get_weights()} order. */
  List<WeightSpec> weightSpecs(int inputSize);

  /** The Keras class name ({@code LSTMCell}, {@code GRUCell}, ...). */
  String kerasClassName();

  /** The cell's name, or null when none was given. */
  String name();

  /** The single cells it is made of, in order: itself, or a stack's cells. */
  List<SingleCell> cells();
}

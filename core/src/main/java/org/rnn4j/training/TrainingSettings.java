package org.rnn4j.training;

import java.util.List;
import java.util.Set;

/**
 * What a Keras config says about training beyond the layers' inference arithmetic: the layers it
 * freezes ({@code trainable: false}), the randomness Keras applies only in training (dropout
 * rates, noise), and the terms Keras adds to the loss or applies after each update (regularizers,
 * constraints). Read from the config with the model; a model built in Java has none.
 *
 * @param frozenLayers the names of the (top-level) layers declared {@code trainable: false}
 * @param randomInTraining one line each, e.g. {@code layer 'gru': recurrent_dropout 0.1}
 * @param notReproduced one line each for what rnn4j's training does not do, e.g. {@code layer
 *     'dense': kernel_regularizer L2}
 */
public record TrainingSettings(Set<String> frozenLayers, List<String> randomInTraining, List<String> notReproduced) {

  public TrainingSettings {
    frozenLayers = Set.copyOf(frozenLayers);
    randomInTraining = List.copyOf(randomInTraining);
    notReproduced = List.copyOf(notReproduced);
  }

  /** No frozen layers, no training-only behaviour. */
  public static TrainingSettings none() {
    return new TrainingSettings(Set.of(), List.of(), List.of());
  }
}

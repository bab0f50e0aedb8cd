package org.rnn4j.training;

import java.util.OptionalLong;

/**
 * How {@link Trainer#fit} trains, with Keras' {@code fit} defaults: 1 epoch, batches of 32 (the
 * last one may be smaller), a shuffled order each epoch, no validation, no early stopping.
 *
 * <p>Shuffling is seeded for reproducibility; it cannot reproduce Keras' own shuffled order (which
 * comes from Keras' random generator). {@link #withoutShuffle()} gives exactly Keras' {@code
 * shuffle=False} order. A stateful model must not be shuffled (its states run on from one batch
 * to the next).
 *
 * @param seed empty for no shuffling
 * @param validationSplit the fraction of samples, taken from the end before any shuffling, held
 *     out for validation (Keras' {@code validation_split}); 0 for none
 * @param validation separate validation samples (Keras' {@code validation_data}), or null
 * @param earlyStopping or null
 * @param accuracy whether to compute Keras' {@code accuracy} metric
 */
public record FitOptions(int epochs, int batchSize, OptionalLong seed, double validationSplit, Dataset validation,
    EarlyStopping earlyStopping, boolean accuracy) {

  public FitOptions {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size must be >= 1, got " + batchSize);
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new IllegalArgumentException("validation_split must be in [0, 1), got " + validationSplit);
    }
    if (validationSplit > 0 && validation != null) {
      throw new IllegalArgumentException("give validation_split or validation data, not both");
    }
  }

  /** Keras' defaults, shuffled with seed 0. */
  public static FitOptions defaults() {
    return new FitOptions(1, 32, OptionalLong.of(0), 0, null, null, false);
  }

  public FitOptions withEpochs(int e) {
    return new FitOptions(e, batchSize, seed, validationSplit, validation, earlyStopping, accuracy);
  }

  public FitOptions withBatchSize(int b) {
    return new FitOptions(epochs, b, seed, validationSplit, validation, earlyStopping, accuracy);
  }

  /** Keras' {@code shuffle=False}: batches in sample order. */
  public FitOptions withoutShuffle() {
    return new FitOptions(epochs, batchSize, OptionalLong.empty(), validationSplit, validation, earlyStopping, accuracy);
  }

  /** A new shuffled order each epoch, drawn from {@code s}. */
  public FitOptions withShuffleSeed(long s) {
    return new FitOptions(epochs, batchSize, OptionalLong.of(s), validationSplit, validation, earlyStopping, accuracy);
  }

  public FitOptions withValidationSplit(double f) {
    return new FitOptions(epochs, batchSize, seed, f, validation, earlyStopping, accuracy);
  }

  public FitOptions withValidation(Dataset d) {
    return new FitOptions(epochs, batchSize, seed, validationSplit, d, earlyStopping, accuracy);
  }

  public FitOptions withEarlyStopping(EarlyStopping e) {
    return new FitOptions(epochs, batchSize, seed, validationSplit, validation, e, accuracy);
  }

  public FitOptions withAccuracy(boolean a) {
    return new FitOptions(epochs, batchSize, seed, validationSplit, validation, earlyStopping, a);
  }
}

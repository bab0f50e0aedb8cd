package org.rnn4j.training;

import java.util.Map;

/** Hears a {@link Trainer#fit} run: for progress bars and logs. Every method does nothing by default. */
public interface FitListener {

  /** An epoch (0-based, of {@code epochs}) starts; it will take {@code steps} batches. */
  default void epochStarted(int epoch, int epochs, int steps) {}

  /** Batch {@code step} (1-based) of the epoch is done; {@code logs} holds the running means. */
  default void batchDone(int step, int steps, Map<String, Double> logs) {}

  /** An epoch is done; {@code logs} holds its loss and metrics (with the validation ones). */
  default void epochDone(int epoch, int epochs, Map<String, Double> logs) {}

  /** Early stopping ended training after {@code epoch}. */
  default void stoppedEarly(int epoch, String monitor) {}
}

package org.rnn4j.training;

/**
 * Keras' {@code EarlyStopping} callback: stop when the monitored value ({@code val_loss} by
 * default) has not improved by more than {@code minDelta} for {@code patience} epochs (never after
 * the first epoch). Values named {@code *accuracy} improve upwards, the others downwards (Keras'
 * {@code mode="auto"}). With {@code restoreBestWeights} the weights of the best epoch are restored
 * when training stops early (as Keras does).
 */
public record EarlyStopping(String monitor, double minDelta, int patience, boolean restoreBestWeights) {

  public EarlyStopping {
    if (monitor == null || monitor.isBlank()) {
      throw new IllegalArgumentException("EarlyStopping: monitor must name a value such as val_loss");
    }
    if (patience < 0 || minDelta < 0) {
      throw new IllegalArgumentException("EarlyStopping: patience and min_delta must be >= 0");
    }
  }

  /** Keras' defaults: monitor {@code val_loss}, min_delta 0, patience 0, no restoring. */
  public static EarlyStopping onValidationLoss() {
    return new EarlyStopping("val_loss", 0, 0, false);
  }

  public EarlyStopping withPatience(int p) {
    return new EarlyStopping(monitor, minDelta, p, restoreBestWeights);
  }

  /** Whether larger values of the monitored quantity are better. */
  boolean maximizes() {
    return monitor.endsWith("accuracy") || monitor.endsWith("acc");
  }

  /** Keras' {@code _is_improvement}: beyond the best by more than min_delta. */
  boolean improves(double value, double best) {
    return maximizes() ? value - minDelta > best : value + minDelta < best;
  }
}

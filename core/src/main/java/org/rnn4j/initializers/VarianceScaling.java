package org.rnn4j.initializers;

import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.Shapes;

/**
 * Keras {@code VarianceScaling} and its named presets ({@code GlorotUniform}, {@code
 * GlorotNormal}, {@code HeUniform}, {@code HeNormal}, {@code LecunUniform}, {@code LecunNormal}).
 *
 * @param kerasClassName the preset's class name, or {@code VarianceScaling}
 * @param scale the variance scale
 * @param mode {@code fan_in}, {@code fan_out} or {@code fan_avg}
 * @param distribution {@code truncated_normal}, {@code untruncated_normal} or {@code uniform}
 */
public record VarianceScaling(String kerasClassName, double scale, String mode, String distribution)
    implements Initializer {
  /** The standard deviation of a unit normal truncated to two standard deviations. */
  private static final double TRUNCATION_STDDEV = 0.87962566103423978;

  public VarianceScaling {
    mode = mode.toLowerCase(Locale.ROOT);
    distribution = distribution.toLowerCase(Locale.ROOT);
    if (distribution.equals("normal")) {
      distribution = "truncated_normal";
    }
  }

  public static VarianceScaling glorotUniform() {
    return new VarianceScaling("GlorotUniform", 1.0, "fan_avg", "uniform");
  }

  public static VarianceScaling glorotNormal() {
    return new VarianceScaling("GlorotNormal", 1.0, "fan_avg", "truncated_normal");
  }

  public static VarianceScaling heUniform() {
    return new VarianceScaling("HeUniform", 2.0, "fan_in", "uniform");
  }

  public static VarianceScaling heNormal() {
    return new VarianceScaling("HeNormal", 2.0, "fan_in", "truncated_normal");
  }

  public static VarianceScaling lecunUniform() {
    return new VarianceScaling("LecunUniform", 1.0, "fan_in", "uniform");
  }

  public static VarianceScaling lecunNormal() {
    return new VarianceScaling("LecunNormal", 1.0, "fan_in", "truncated_normal");
  }

  @Override
  public float[] generate(int[] shape, SplittableRandom random) {
    Fans fans = Fans.of(shape);
    double fan =
        switch (mode) {
          case "fan_in" -> fans.in();
          case "fan_out" -> fans.out();
          default -> (fans.in() + fans.out()) / 2.0;
        };
    double variance = scale / Math.max(1.0, fan);
    float[] out = new float[Shapes.elementCount(shape)];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          (float)
              switch (distribution) {
                case "truncated_normal" ->
                    Sampling.truncatedNormal(random, 0, Math.sqrt(variance) / TRUNCATION_STDDEV);
                case "untruncated_normal" -> Math.sqrt(variance) * Sampling.normal(random);
                default -> {
                  double limit = Math.sqrt(3.0 * variance);
                  yield Sampling.uniform(random, -limit, limit);
                }
              };
    }
    return out;
  }
}

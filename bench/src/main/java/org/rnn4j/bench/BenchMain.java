package org.rnn4j.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.rnn4j.cli.bench.Workload;

/**
 * Runs the JMH benchmarks (any JMH command-line option works, e.g. {@code -p workload=W1a,W2
 * -p backend=reference,tensorflow -prof gc}), then prints each result in its workload's unit with
 * the ratio of the reference backend to the others measured in the same run.
 */
public final class BenchMain {
  private static final Set<String> JMH_INFO_OPTIONS = Set.of("-h", "-help", "--help", "-l", "-lp", "-lprof", "-lrf");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    for (String a : args) {
      if (JMH_INFO_OPTIONS.contains(a)) {
        org.openjdk.jmh.Main.main(args);
        return;
      }
    }
    Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
    System.out.println();
    System.out.print(summary(results));
  }

  /** One row per result: workload, backend, threads, the score in the workload's unit, the ratio. */
  static String summary(Collection<RunResult> results) {
    record Row(Workload workload, String backend, String threads, double score, double error) {}
    List<Row> rows = new ArrayList<>();
    for (RunResult r : results) {
      Workload w = Workload.parse(r.getParams().getParam("workload"));
      double micros = r.getPrimaryResult().getScore();
      double err = r.getPrimaryResult().getScoreError();
      double score = w.score(micros / 1e6);
      // the error interval mapped through the same conversion (GFLOP/s is inverse to time)
      double error = Double.isNaN(err) ? Double.NaN : Math.abs(w.score((micros + err) / 1e6) - score);
      rows.add(new Row(w, r.getParams().getParam("backend"), r.getParams().getParam("threads"), score, error));
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s %-11s %-7s %-8s %12s %10s %7s%n",
        "workload", "backend", "threads", "unit", "score", "± error", "ratio"));
    for (Row row : rows) {
      String ratio = "";
      if (!row.backend().equals("reference")) {
        for (Row base : rows) {
          if (base.workload() == row.workload() && base.backend().equals("reference") && base.threads().equals(row.threads())) {
            double x = row.workload().unit().higherIsBetter() ? base.score() / row.score() : row.score() / base.score();
            ratio = String.format(Locale.ROOT, "%.2fx", x);
          }
        }
      }
      out.append(String.format(Locale.ROOT, "%-8s %-11s %-7s %-8s %12.3f %10.3f %7s%n", row.workload().id(), row.backend(),
          row.threads().equals("0") ? "default" : row.threads(), row.workload().unit().label(), row.score(), row.error(), ratio));
    }
    out.append("ratio: reference vs the backend on that row, same workload and threads (> 1: reference is faster)\n");
    return out.toString();
  }
}

package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.PreparedModel;
import org.rnn4j.cli.bench.BenchRunner;
import org.rnn4j.cli.bench.ResidentMemory;
import org.rnn4j.cli.bench.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rnn4j bench}: the benchmark workloads on several backends, in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "A quick in-process benchmark of the workloads W1a (notebook LSTM), W1b (notebook stack),",
      "W2 (streaming LSTM, one step per call), W3 and W4 (LSTM throughput), G3 (GRU throughput), and",
      "T1b and T3 (one forward and backward pass, mse, of the W1b and W3 models), F3 (one epoch of fit, Adam,",
      "of the W3 model on 128 samples, samples per second)",
      "on each backend: warm-up, then the median, min and max of repeated measurements, and the",
      "ratio between backends measured in the same run (> 1: the first backend is faster).",
      "For SIMD kernels in the reference backend, run the JVM with --add-modules jdk.incubator.vector."
    },
    footer = {
      "",
      "Examples:",
      "  java --add-modules jdk.incubator.vector -jar cli/target/rnn4j.jar bench",
      "  rnn4j bench --workloads W1a,W2 --backends reference,tensorflow --threads 1 --format json",
      "",
      "JMH benchmarks of the same workloads: see the bench module.",
      "",
      ExitCodes.DOCUMENTATION
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin BackendChoice backendChoice;

  @Option(names = "--workloads", paramLabel = "W[,W]", defaultValue = "W1a,W1b,W2,W3,W4,G3,T1b,T3,F3", split = ",",
      description = "Workloads to run (default: all).")
  List<String> workloads;

  @Option(names = {"--backends", "--backend"}, paramLabel = "all|NAME[,NAME]", defaultValue = "all",
      description = "Backends to measure (default: all available); ratios are first backend vs each other.")
  String backends;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for every backend (reference: threads; tensorflow: intra_op_threads). Default: each backend's own default.")
  Integer threads;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "1", description = "Warm-up time per measurement, in seconds; it goes on, up to 5 times as long, while calls still get faster (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "7", description = "Measurements per workload and backend (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "Output format (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    List<Workload> ws = workloads.stream().map(Workload::parse).toList();
    List<String> names = BackendSelection.resolve(backends);
    if (threads != null && threads < 1) {
      throw new org.rnn4j.InvalidInputException("--threads must be at least 1, got " + threads);
    }
    if (samples < 1 || !(seconds > 0)) {
      throw new org.rnn4j.InvalidInputException("--samples must be at least 1 and --seconds positive");
    }
    BenchRunner runner = new BenchRunner(seconds, Math.max(0.05, seconds / 4), samples);
    Progress progress = Progress.forTerminal(spec.commandLine().getErr());
    List<BenchRunner.Measurement> results = new ArrayList<>();
    Map<String, Backend> open = new LinkedHashMap<>();
    try {
      backendChoice.requireKnown(names);
      for (String name : names) {
        Map<String, String> opts = new LinkedHashMap<>(backendChoice.optionsFor(name));
        opts.putAll(BenchRunner.threadOptions(name, threads == null ? 0 : threads));
        open.put(name, Backends.open(name, opts));
      }
      for (Workload w : ws) {
        for (String name : names) {
          progress.step("bench " + w.id() + " on " + name);
          boolean tracked = ResidentMemory.resetPeak();
          long before = ResidentMemory.currentMib();
          BenchRunner.Measurement m;
          try (PreparedModel p = open.get(name).prepare(w.model())) {
            m = runner.measure(w, name, effectiveThreads(name), w.operation(p), w.forwardOperation(p));
          }
          long peak = tracked ? ResidentMemory.peakMib() : -1;
          results.add(m.withMemory(peak, peak < 0 || before < 0 ? -1 : Math.max(0, peak - before)));
        }
      }
    } finally {
      open.values().forEach(Backend::close);
      progress.done();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.JSON) {
      ArrayNode arr = JsonNodeFactory.instance.arrayNode();
      for (BenchRunner.Measurement m : results) {
        ObjectNode row = arr.addObject().put("workload", m.workload().id()).put("backend", m.backend()).put("threads", m.threads())
            .put("unit", m.workload().unit().label()).put("median", m.median()).put("min", m.min()).put("max", m.max())
            .put("peak_rss_mib", m.peakMib()).put("rss_growth_mib", m.growthMib());
        if (!Double.isNaN(m.backwardOverForward())) {
          row.put("backward_over_forward", m.backwardOverForward());
        }
      }
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(arr));
    } else {
      out.print(table(results, names));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private int effectiveThreads(String backend) {
    return threads != null ? threads : Runtime.getRuntime().availableProcessors();
  }

  static String table(List<BenchRunner.Measurement> results, List<String> names) {
    TextTable t = new TextTable("workload", "backend", "threads", "unit", "median", "min", "max", "ratio", "peak RSS MiB", "bwd/fwd")
        .right(2, 4, 5, 6, 7, 8, 9);
    for (BenchRunner.Measurement m : results) {
      String ratio = "";
      if (!m.backend().equals(names.get(0))) {
        BenchRunner.Measurement base = results.stream()
            .filter(r -> r.workload() == m.workload() && r.backend().equals(names.get(0))).findFirst().orElse(null);
        if (base != null) {
          double r = m.workload().unit().higherIsBetter() ? base.median() / m.median() : m.median() / base.median();
          ratio = String.format(Locale.ROOT, "%.2fx", r);
        }
      }
      String memory = m.peakMib() < 0 ? "n/a" : m.peakMib() + " (+" + m.growthMib() + ")";
      String backward = Double.isNaN(m.backwardOverForward()) ? "" : String.format(Locale.ROOT, "%.2f", m.backwardOverForward());
      t.add(m.workload().id(), m.backend(), Integer.toString(m.threads()), m.workload().unit().label(), fmt(m.median()), fmt(m.min()),
          fmt(m.max()), ratio, memory, backward);
    }
    return t.render("") + "ratio: " + names.get(0) + " vs the backend on that row, from the medians (> 1: " + names.get(0) + " is faster)\n"
        + "peak RSS: the process's peak resident memory while the row was prepared and measured (+ its growth over the resident size before)\n"
        + "bwd/fwd (T rows): the backward pass's time over the forward pass's, the median over pairs of calls alternated — the same\n"
        + "  call's forward alone, then forward and backward — each pair giving (forward+backward − forward) / forward\n";
  }

  private static String fmt(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}

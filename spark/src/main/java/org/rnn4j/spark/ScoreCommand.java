package org.rnn4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npy;
import org.rnn4j.io.Npz;
import org.rnn4j.keras.KerasModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code score}: a model's outputs for every row of an {@code .npy} or Parquet input, computed by Spark. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score sequences with a Keras recurrent model on Spark (local mode needs no Spark installation):",
      "an .npy input (batch, time, features) or (batch, time) token ids becomes a DataFrame of its rows;",
      "a Parquet input is read as it is (--input-col names the sequence column). Writes the outputs as",
      ".npz ('output', or 'output_0', ... for several outputs, in row order) or as Parquet (the input's",
      "columns plus one per output)."
    },
    footer = {
      "",
      "Example:",
      "  java -jar spark/target/rnn4j-spark.jar score --master 'local[2]' --model m.keras --input x.npy \\",
      "      --partitions 4 --output scores.npz",
      "",
      "Exit codes: 0 scored; 2 bad usage or bad input; 3 internal error."
    })
final class ScoreCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Keras model: .keras, .h5, or a .json config with --weights.")
  Path model;

  @Option(names = "--weights", paramLabel = "FILE", description = "Weights: .npz, .h5 or .weights.h5.")
  Path weights;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "X.npy or DATA.parquet.")
  Path input;

  @Option(names = "--input-col", paramLabel = "NAME", defaultValue = "x", description = "The sequence column of a Parquet input (default: ${DEFAULT-VALUE}).")
  String inputCol;

  @Option(names = "--output-cols", paramLabel = "A[,B]",
      description = "Names of the output columns (default: output, or output_0, output_1, ... for several outputs).")
  String outputCols;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions to spread the rows over (default: Spark's).")
  Integer partitions;

  @Option(names = "--rows-per-batch", paramLabel = "N", defaultValue = "64", description = "Rows scored in one call (default: ${DEFAULT-VALUE}).")
  int rowsPerBatch;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "reference", description = "Backend (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "OUT.npz or OUT.parquet.")
  Path output;

  private static final String ROW = "__rnn4j_row";

  @Override
  public Integer call() {
    String out = output.getFileName().toString();
    if (!out.endsWith(".npz") && !out.endsWith(".parquet")) {
      throw new InvalidInputException("--output " + output + ": expected a name ending .npz or .parquet");
    }
    if (!Files.exists(input)) {
      throw new InvalidInputException("--input " + input + ": no such file");
    }
    if (partitions != null && partitions < 1) {
      throw new InvalidInputException("--partitions must be >= 1, got " + partitions);
    }
    int outputs = KerasModels.load(model, weights).architecture().outputShapes().size();
    List<String> outputNames = new ArrayList<>();
    for (int i = 0; i < outputs; i++) {
      outputNames.add(outputs == 1 ? "output" : "output_" + i);
    }
    if (outputCols != null) {
      outputNames = java.util.Arrays.stream(outputCols.split(",")).map(String::trim).toList();
      if (outputNames.size() != outputs) {
        throw new InvalidInputException("--output-cols names " + outputNames.size() + " column(s), the model has " + outputs + " output(s)");
      }
    }
    SparkSession spark = SparkSession.builder().master(master).appName("rnn4j score").config("spark.ui.enabled", "false")
        .config("spark.log.level", "WARN").getOrCreate();
    boolean npy = !input.getFileName().toString().endsWith(".parquet");
    Dataset<Row> rows = npy ? rowsOf(spark, Npy.read(input)) : spark.read().parquet(input.toString())
        .withColumn(ROW, functions.monotonically_increasing_id());
    if (partitions != null) {
      rows = rows.repartition(partitions);
    }
    RecurrentScorer scorer = new RecurrentScorer().setModelPath(model.toString()).setBackend(backend)
        .setInputCols(npy ? "x" : inputCol).setOutputCols(String.join(",", outputNames)).setRowsPerBatch(rowsPerBatch);
    if (weights != null) {
      scorer.setWeightsPath(weights.toString());
    }
    long count = rows.count();
    long start = System.nanoTime();
    Dataset<Row> scored = scorer.transform(rows).orderBy(ROW);
    if (out.endsWith(".parquet")) {
      scored.drop(ROW).write().mode("overwrite").parquet(output.toString());
    } else {
      Map<String, Tensor> arrays = new LinkedHashMap<>();
      List<Row> collected = scored.select(outputNames.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new))
          .collectAsList();
      for (int i = 0; i < outputNames.size(); i++) {
        arrays.put(outputs == 1 ? "output" : "output_" + i, stack(collected, i, outputNames.get(i)));
      }
      Npz.write(output, arrays);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    spec.commandLine().getOut().println(String.format(java.util.Locale.ROOT, "%s on Spark %s (%s, partitions: %d): scored %d rows of %s in %.2f s"
        + " (%.0f rows/s, the model prepared once per executor), wrote %s", backend, spark.version(), master, rows.rdd().getNumPartitions(),
        count, input, seconds, count / seconds, output));
    return 0;
  }

  /** An .npy batch as a DataFrame: a row number and one sample per row. */
  private static Dataset<Row> rowsOf(SparkSession spark, Tensor x) {
    boolean ids = x.rank() == 2;
    if (x.rank() != 3 && !ids) {
      throw new InvalidInputException("--input: expected (batch, time, features) or (batch, time) token ids, got shape "
          + org.rnn4j.Shapes.format(x.shape()));
    }
    int n = x.dim(0);
    int time = x.dim(1);
    int features = ids ? 1 : x.dim(2);
    float[] v = x.toArray();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<Object> seq = new ArrayList<>(time);
      for (int t = 0; t < time; t++) {
        int base = (i * time + t) * features;
        if (ids) {
          seq.add((int) v[base]);
        } else {
          List<Float> step = new ArrayList<>(features);
          for (int f = 0; f < features; f++) {
            step.add(v[base + f]);
          }
          seq.add(step);
        }
      }
      rows.add(RowFactory.create((long) i, seq));
    }
    StructType schema = new StructType().add(ROW, DataTypes.LongType)
        .add("x", ids ? DataTypes.createArrayType(DataTypes.IntegerType) : DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
    return spark.createDataFrame(rows, schema);
  }

  /** Column {@code c} of every row, stacked in row order into one tensor (rows must share a shape). */
  private static Tensor stack(List<Row> rows, int c, String name) {
    List<Tensor> samples = new ArrayList<>();
    for (Row r : rows) {
      samples.add(RowTensors.tensorOf(r.get(c)));
    }
    int[] shape = samples.get(0).shape();
    for (Tensor s : samples) {
      if (!java.util.Arrays.equals(s.shape(), shape)) {
        throw new InvalidInputException("'" + name + "' has rows of different shapes " + org.rnn4j.Shapes.format(shape) + " and "
            + org.rnn4j.Shapes.format(s.shape()) + " (sequences of different lengths): write .parquet instead of .npz");
      }
    }
    int per = samples.get(0).size();
    float[] data = new float[rows.size() * per];
    for (int i = 0; i < samples.size(); i++) {
      System.arraycopy(samples.get(i).toArray(), 0, data, i * per, per);
    }
    int[] full = new int[shape.length + 1];
    full[0] = rows.size();
    System.arraycopy(shape, 0, full, 1, shape.length);
    return Tensor.wrap(full, data);
  }
}

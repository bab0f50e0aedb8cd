package org.rnn4j.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.rnn4j.Call;
import org.rnn4j.InvalidInputException;
import org.rnn4j.Model;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.InputSpec;

/**
 * A Spark ML {@link Transformer} that adds a Keras recurrent model's outputs to a DataFrame: one
 * column per model output ({@code array<float>} for a vector, {@code array<array<float>>} for a
 * sequence), and optionally one per returned state. Each input column holds one sample per row:
 * {@code array<array<float>>} (time × features, float or double) or {@code array<int>} token ids.
 *
 * <pre>{@code
 * RecurrentScorer scorer = new RecurrentScorer()
 *     .setModelPath("model.keras").setBackend("reference").setInputCols("x").setOutputCols("score");
 * Dataset<Row> scored = scorer.transform(df);
 * }</pre>
 *
 * <p>The model file's bytes are read on the driver and broadcast once; each executor JVM prepares
 * the model once ({@link ExecutorModels}) and every task reuses it. The rows of a partition are
 * batched, {@code rowsPerBatch} at a time, into one call per sequence length: rows of different
 * lengths are never padded together, so every row gets exactly the numbers of a call on its own
 * sequence (which, for a model that masks, is what Keras gives the row inside a zero-padded,
 * masked batch). Persisted with Spark ML's {@code save}/{@code load} (the parameters; the model is
 * read from its path again).
 */
public final class RecurrentScorer extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> modelPath;
  private final Param<String> weightsPath;
  private final Param<String> backend;
  private final Param<String> backendOptions;
  private final Param<String> inputCols;
  private final Param<String> outputCols;
  private final Param<String> stateCols;
  private final IntParam rowsPerBatch;

  public RecurrentScorer() {
    this(Identifiable$.MODULE$.randomUID("rnn4jScorer"));
  }

  /** For Spark ML's reader and {@link #copy}. */
  public RecurrentScorer(String uid) {
    this.uid = uid;
    modelPath = new Param<>(this, "modelPath", "the Keras model file: .keras, .h5 or a .json config (with weightsPath)");
    weightsPath = new Param<>(this, "weightsPath", "a separate weights file (.npz, .h5, .weights.h5), or empty");
    backend = new Param<>(this, "backend", "the rnn4j backend: reference or tensorflow");
    backendOptions = new Param<>(this, "backendOptions", "backend options as name=value pairs separated by commas, or empty");
    inputCols = new Param<>(this, "inputCols", "the input column(s), one per model input, separated by commas");
    outputCols = new Param<>(this, "outputCols", "a column name per model output, separated by commas");
    stateCols = new Param<>(this, "stateCols", "a column name per returned state (Keras' order), separated by commas, or empty");
    rowsPerBatch = new IntParam(this, "rowsPerBatch", "rows of a partition scored in one call (at most)");
    setDefault(weightsPath, "");
    setDefault(backend, "reference");
    setDefault(backendOptions, "");
    setDefault(inputCols, "input");
    setDefault(outputCols, "output");
    setDefault(stateCols, "");
    setDefault(rowsPerBatch, 64);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> modelPath() {
    return modelPath;
  }

  public Param<String> weightsPath() {
    return weightsPath;
  }

  public Param<String> backend() {
    return backend;
  }

  public Param<String> backendOptions() {
    return backendOptions;
  }

  public Param<String> inputCols() {
    return inputCols;
  }

  public Param<String> outputCols() {
    return outputCols;
  }

  public Param<String> stateCols() {
    return stateCols;
  }

  public IntParam rowsPerBatch() {
    return rowsPerBatch;
  }

  public RecurrentScorer setModelPath(String v) {
    set(modelPath, v);
    return this;
  }

  public RecurrentScorer setWeightsPath(String v) {
    set(weightsPath, v);
    return this;
  }

  public RecurrentScorer setBackend(String v) {
    set(backend, v);
    return this;
  }

  public RecurrentScorer setBackendOptions(String v) {
    set(backendOptions, v);
    return this;
  }

  public RecurrentScorer setInputCols(String v) {
    set(inputCols, v);
    return this;
  }

  public RecurrentScorer setOutputCols(String v) {
    set(outputCols, v);
    return this;
  }

  public RecurrentScorer setStateCols(String v) {
    set(stateCols, v);
    return this;
  }

  public RecurrentScorer setRowsPerBatch(int v) {
    if (v < 1) {
      throw new IllegalArgumentException("rowsPerBatch must be >= 1, got " + v);
    }
    set(rowsPerBatch, v);
    return this;
  }

  private static List<String> names(String list) {
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private Path weightsFile() {
    String w = $(weightsPath);
    return w.isEmpty() ? null : Path.of(w);
  }

  private Model model() {
    if (!isDefined(modelPath)) {
      throw new InvalidInputException("RecurrentScorer: set modelPath to a Keras model file");
    }
    return KerasModels.load(Path.of($(modelPath)), weightsFile());
  }

  /** The input's columns plus one per model output and per named state, checked against the model. */
  @Override
  public StructType transformSchema(StructType schema) {
    return transformSchema(schema, model());
  }

  /** {@link #transformSchema(StructType)} for a model already read. */
  private StructType transformSchema(StructType schema, Model model) {
    Architecture arch = model.architecture();
    List<String> in = names($(inputCols));
    if (in.size() != arch.inputs().size()) {
      throw new InvalidInputException("RecurrentScorer: the model has " + arch.inputs().size() + " input(s), inputCols names "
          + in.size() + " (" + $(inputCols) + ")");
    }
    for (int k = 0; k < in.size(); k++) {
      String col = in.get(k);
      if (!java.util.Arrays.asList(schema.fieldNames()).contains(col)) {
        throw new InvalidInputException("RecurrentScorer: no input column '" + col + "' (columns: " + String.join(", ", schema.fieldNames()) + ")");
      }
      DataType t = schema.apply(col).dataType();
      boolean ids = arch.inputs().get(k).integerIds();
      if (!(t instanceof ArrayType a) || (ids ? !(a.elementType() instanceof org.apache.spark.sql.types.IntegralType)
          : !(a.elementType() instanceof ArrayType inner && inner.elementType() instanceof org.apache.spark.sql.types.FractionalType))) {
        throw new InvalidInputException("RecurrentScorer: column '" + col + "' must be " + (ids ? "array<int> (token ids)"
            : "array<array<float>> (time × features)") + ", got " + t.simpleString());
      }
    }
    // what a call returns (outputs, then states), from a one-row call: the result's outputs are the
    // model's outputs, its states those return_state adds
    Result probe = probe(model);
    List<Integer> ranks = new ArrayList<>();
    probe.outputs().forEach(t -> ranks.add(t.rank() - 1));
    List<String> out = names($(outputCols));
    List<String> states = names($(stateCols));
    int stateCount = probe.flatStates().size();
    if (out.size() != ranks.size()) {
      throw new InvalidInputException("RecurrentScorer: the model has " + ranks.size() + " output(s), outputCols names " + out.size()
          + " (" + $(outputCols) + ")");
    }
    if (!states.isEmpty() && states.size() != stateCount) {
      throw new InvalidInputException("RecurrentScorer: the model returns " + stateCount + " state(s), stateCols names "
          + states.size() + " (" + $(stateCols) + ")");
    }
    List<String> existing = java.util.Arrays.asList(schema.fieldNames());
    for (String name : concat(out, states)) {
      if (existing.contains(name)) {
        throw new InvalidInputException("RecurrentScorer: column '" + name + "' already exists; name the outputs otherwise (outputCols, stateCols)");
      }
    }
    StructType result = schema;
    for (int i = 0; i < out.size(); i++) {
      result = result.add(new StructField(out.get(i), arrayOf(ranks.get(i)), false, org.apache.spark.sql.types.Metadata.empty()));
    }
    for (String s : states) {
      result = result.add(new StructField(s, arrayOf(1), false, org.apache.spark.sql.types.Metadata.empty()));
    }
    return result;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A one-row call with zeros, run on the reference backend in this JVM, for the states' widths. */
  private static Result probe(Model model) {
    Architecture arch = model.architecture();
    List<Tensor> inputs = new ArrayList<>();
    for (InputSpec spec : arch.inputs()) {
      int[] shape = spec.shape();
      int[] full = new int[shape.length + 1];
      full[0] = 1;
      for (int d = 0; d < shape.length; d++) {
        full[d + 1] = shape[d] < 0 ? 1 : shape[d];
      }
      inputs.add(Tensor.zeros(full));
    }
    try (org.rnn4j.Backend b = org.rnn4j.Backends.open("reference"); PreparedModel p = b.prepare(model)) {
      return p.run(Call.of(inputs));
    }
  }

  private static DataType arrayOf(int rank) {
    DataType t = DataTypes.FloatType;
    for (int r = 0; r < rank; r++) {
      t = DataTypes.createArrayType(t, false);
    }
    return t;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    Model model = model(); // read once on the driver for the schema and the first-row check
    StructType outSchema = transformSchema(dataset.schema(), model);
    if (!dataset.isStreaming()) {
      checkFirstRow(dataset, model);
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (String pair : names($(backendOptions))) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new InvalidInputException("RecurrentScorer: backendOptions '" + pair + "' is not name=value");
      }
      options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    ModelSource source = ModelSource.read(Path.of($(modelPath)), weightsFile(), $(backend), options);
    Broadcast<ModelSource> shipped = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(source);
    StructType inSchema = dataset.schema();
    int[] inputIndex = names($(inputCols)).stream().mapToInt(inSchema::fieldIndex).toArray();
    int batch = (Integer) $(rowsPerBatch);
    int states = names($(stateCols)).size();
    MapPartitionsFunction<Row, Row> score = rows -> new Scoring(rows, shipped.value(), inputIndex, batch, states);
    return dataset.toDF().mapPartitions(score, Encoders.row(outSchema));
  }

  /**
   * The first row's sequences against the model's inputs (features per step; a fixed number of
   * steps), so that data of the wrong shape is refused here, once, not in every task.
   */
  private void checkFirstRow(Dataset<?> dataset, Model model) {
    List<String> in = names($(inputCols));
    Row first = dataset.toDF().select(in.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
        .limit(1).collectAsList().stream().findFirst().orElse(null);
    if (first == null) {
      return;
    }
    Architecture arch = model.architecture();
    for (int k = 0; k < in.size(); k++) {
      int[] expected = arch.inputs().get(k).shape();
      Tensor sample = RowTensors.stack(List.of(first), List.of(0), k);
      int[] got = java.util.Arrays.copyOfRange(sample.shape(), 1, sample.rank());
      boolean fits = got.length == expected.length;
      for (int d = 0; fits && d < got.length; d++) {
        fits = expected[d] < 0 || expected[d] == got[d];
      }
      if (!fits) {
        throw new InvalidInputException("RecurrentScorer: column '" + in.get(k) + "' holds samples of shape "
            + org.rnn4j.Shapes.format(got) + ", the model's input " + k + " takes " + org.rnn4j.Shapes.format(expected)
            + " (None: any length)");
      }
    }
  }

  /** A partition's rows with their scores, {@code batch} rows read and scored at a time. */
  private static final class Scoring implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final PreparedModel model;
    private final int[] inputIndex;
    private final int batch;
    private final int states;
    private Iterator<Row> current = java.util.Collections.emptyIterator();

    Scoring(Iterator<Row> rows, ModelSource source, int[] inputIndex, int batch, int states) {
      this.rows = rows;
      this.model = ExecutorModels.get(source);
      this.inputIndex = inputIndex;
      this.batch = batch;
      this.states = states;
    }

    @Override
    public boolean hasNext() {
      if (!current.hasNext() && rows.hasNext()) {
        List<Row> chunk = new ArrayList<>();
        while (chunk.size() < batch && rows.hasNext()) {
          chunk.add(rows.next());
        }
        current = score(chunk).iterator();
      }
      return current.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }

    /** One call per sequence length among the chunk's rows; rows come back in their order. */
    private List<Row> score(List<Row> chunk) {
      Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
      for (int r = 0; r < chunk.size(); r++) {
        byLength.computeIfAbsent(length(chunk.get(r)), k -> new ArrayList<>()).add(r);
      }
      Row[] out = new Row[chunk.size()];
      for (List<Integer> group : byLength.values()) {
        List<Tensor> inputs = new ArrayList<>();
        for (int k = 0; k < inputIndex.length; k++) {
          inputs.add(RowTensors.stack(chunk, group, inputIndex[k]));
        }
        Result result = model.run(Call.of(inputs));
        List<Tensor> values = new ArrayList<>(result.outputs());
        List<Tensor> st = result.flatStates();
        for (int s = 0; s < states; s++) {
          values.add(st.get(s));
        }
        for (int g = 0; g < group.size(); g++) {
          Row row = chunk.get(group.get(g));
          Object[] fields = new Object[row.size() + values.size()];
          for (int f = 0; f < row.size(); f++) {
            fields[f] = row.get(f);
          }
          for (int v = 0; v < values.size(); v++) {
            fields[row.size() + v] = RowTensors.sample(values.get(v), g);
          }
          out[group.get(g)] = RowFactory.create(fields);
        }
      }
      return java.util.Arrays.asList(out);
    }

    private int length(Row row) {
      return row.isNullAt(inputIndex[0]) ? -1 : row.getList(inputIndex[0]).size();
    }
  }

  @Override
  public RecurrentScorer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }

  /** Spark ML's reader of saved scorers. */
  public static MLReader<RecurrentScorer> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a scorer saved with {@code write().save(path)}. */
  public static RecurrentScorer load(String path) {
    return read().load(path);
  }
}

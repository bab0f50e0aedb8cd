package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.InvalidInputException;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.keras.KerasModels;

/**
 * The scorer in Spark's local mode (2 threads, 4 partitions) against calls on one JVM: every row's
 * output, for sequences of several lengths and both backends; the model prepared once per JVM;
 * Spark ML persistence; clear errors for columns that do not fit.
 */
class RecurrentScorerTest {
  private static SparkSession spark;
  /** Keras 3 fixtures: a stacked RNN over any number of steps of 3 features, a Bidirectional over 3 steps of 6. */
  private static final Path SEQUENCE_MODEL = GoldenFiles.path("fixtures/keras3/stacked.keras");
  private static final Path FIXED_MODEL = GoldenFiles.path("fixtures/keras3/bidirectional_simple_rnn.keras");
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType)
      .add("x", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("rnn4j-test").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Rows of random sequences of 2 to 5 steps of 3 features. */
  private static List<Row> rows(int n) {
    return rows(n, 3, -1);
  }

  /** Rows of random sequences of {@code steps} steps (2 to 5 when negative) of {@code features} features. */
  private static List<Row> rows(int n, int features, int fixedSteps) {
    SplittableRandom r = new SplittableRandom(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int steps = fixedSteps > 0 ? fixedSteps : 2 + r.nextInt(4);
      List<List<Float>> seq = new ArrayList<>();
      for (int t = 0; t < steps; t++) {
        List<Float> v = new ArrayList<>();
        for (int f = 0; f < features; f++) {
          v.add((float) (r.nextDouble() * 2 - 1));
        }
        seq.add(v);
      }
      rows.add(RowFactory.create(i, seq));
    }
    return rows;
  }

  private static Tensor sequence(Row row) {
    List<List<Float>> seq = row.getList(1).stream().map(o -> scala.jdk.javaapi.CollectionConverters.asJava(
        (scala.collection.Seq<Float>) o)).toList();
    int features = seq.get(0).size();
    float[] data = new float[seq.size() * features];
    for (int t = 0; t < seq.size(); t++) {
      for (int f = 0; f < features; f++) {
        data[t * features + f] = seq.get(t).get(f);
      }
    }
    return Tensor.wrap(new int[] {1, seq.size(), features}, data);
  }

  @Test
  void everyRowGetsTheOutputOfACallOnItsOwnSequenceOnEitherBackend() throws Exception {
    List<Row> input = rows(40);
    Dataset<Row> df = spark.createDataFrame(input, SCHEMA).repartition(4);
    for (String backend : List.of("reference", "tensorflow")) {
      int before = ExecutorModels.preparedCount();
      RecurrentScorer scorer = new RecurrentScorer().setModelPath(SEQUENCE_MODEL.toString()).setBackend(backend)
          .setInputCols("x").setOutputCols("y").setRowsPerBatch(8);
      List<Row> scored = scorer.transform(df).orderBy("id").collectAsList();
      assertEquals(40, scored.size());
      // once for all 4 partitions' tasks (none if an earlier test of this JVM prepared it), never again
      int afterFirst = ExecutorModels.preparedCount();
      assertTrue(afterFirst - before <= 1, backend + ": prepared " + (afterFirst - before) + " times for one transform");
      scorer.transform(df).count();
      assertEquals(afterFirst, ExecutorModels.preparedCount(), backend + ": a second transform prepares nothing");
      try (Backend b = Backends.open(backend); PreparedModel p = b.prepare(KerasModels.load(SEQUENCE_MODEL))) {
        for (Row row : scored) {
          Tensor expected = p.run(sequence(row)).output();
          List<?> got = row.getList(2);
          assertEquals(expected.dim(1), got.size(), "one output step per input step");
          for (int t = 0; t < got.size(); t++) {
            List<Float> step = scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Float>) got.get(t));
            for (int f = 0; f < step.size(); f++) {
              float e = expected.getFlat(t * expected.dim(2) + f);
              // rows are independent: on the reference backend a row's numbers are bit for bit those of its
              // own call whatever rows share its batch; TensorFlow's kernels may round differently (1e-6)
              assertEquals(e, step.get(f), backend.equals("reference") ? 0 : 1e-6,
                  backend + " row " + row.getInt(0) + " step " + t + " feature " + f);
            }
          }
        }
      }
    }
  }

  @Test
  void savesAndLoadsAsSparkMlDoes() throws Exception {
    RecurrentScorer scorer = new RecurrentScorer().setModelPath(FIXED_MODEL.toString()).setInputCols("x").setOutputCols("y")
        .setRowsPerBatch(5);
    Path saved = dir.resolve("scorer");
    scorer.write().save(saved.toString());
    RecurrentScorer loaded = RecurrentScorer.load(saved.toString());
    assertEquals(scorer.uid(), loaded.uid());
    assertEquals(5, (int) loaded.getOrDefault(loaded.rowsPerBatch()));
    assertEquals(FIXED_MODEL.toString(), loaded.getOrDefault(loaded.modelPath()));
    Dataset<Row> df = spark.createDataFrame(rows(6, 6, 3), SCHEMA);
    List<Row> a = scorer.transform(df).orderBy("id").collectAsList();
    List<Row> b = loaded.transform(df).orderBy("id").collectAsList();
    assertEquals(a, b);
  }

  @Test
  void columnsThatDoNotFitTheModelAreNamed() {
    Dataset<Row> df = spark.createDataFrame(rows(2), SCHEMA);
    RecurrentScorer missing = new RecurrentScorer().setModelPath(SEQUENCE_MODEL.toString()).setInputCols("z");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> missing.transform(df));
    assertEquals("RecurrentScorer: no input column 'z' (columns: id, x)", e.getMessage());
    RecurrentScorer wrongType = new RecurrentScorer().setModelPath(SEQUENCE_MODEL.toString()).setInputCols("id");
    e = assertThrows(InvalidInputException.class, () -> wrongType.transform(df));
    assertTrue(e.getMessage().contains("column 'id' must be array<array<float>> (time × features), got int"), e.getMessage());
    Dataset<Row> sixFeatures = spark.createDataFrame(rows(2, 6, 3), SCHEMA);
    RecurrentScorer shape = new RecurrentScorer().setModelPath(SEQUENCE_MODEL.toString()).setInputCols("x");
    e = assertThrows(InvalidInputException.class, () -> shape.transform(sixFeatures));
    assertEquals("RecurrentScorer: column 'x' holds samples of shape (3, 6), the model's input 0 takes (None, 3) (None: any length)",
        e.getMessage());
    RecurrentScorer unreadable = new RecurrentScorer().setModelPath(dir.resolve("absent.keras").toString()).setInputCols("x");
    org.rnn4j.Rnn4jException u = assertThrows(org.rnn4j.Rnn4jException.class, () -> unreadable.transform(df));
    assertTrue(u.getMessage().contains("absent.keras"), u.getMessage());
    RecurrentScorer states = new RecurrentScorer().setModelPath(SEQUENCE_MODEL.toString()).setInputCols("x").setStateCols("h");
    e = assertThrows(InvalidInputException.class, () -> states.transform(df));
    assertEquals("RecurrentScorer: the model returns 0 state(s), stateCols names 1 (h)", e.getMessage());
  }
}

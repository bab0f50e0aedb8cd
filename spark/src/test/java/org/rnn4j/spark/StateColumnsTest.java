package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.Tensor;
import org.rnn4j.io.Npz;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.testing.RandomData;

/** A model that returns its states: the state columns hold each row's final h and c, as one call gives them. */
class StateColumnsTest {
  static final String LSTM_JSON =
      "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 4, \"return_state\": true, "
          + "\"batch_input_shape\": [null, null, 3]}}";

  @TempDir Path dir;

  @Test
  void stateColumnsHoldTheFinalStates() throws Exception {
    Path model = dir.resolve("lstm.json");
    Files.writeString(model, LSTM_JSON);
    Path weights = dir.resolve("w.npz");
    Npz.writeList(weights, List.of(RandomData.uniform(1, -1, 1, 3, 16), RandomData.uniform(2, -1, 1, 4, 16), RandomData.uniform(3, -1, 1, 16)));
    Tensor x = RandomData.uniform(4, -1, 1, 6, 5, 3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      List<List<Float>> seq = new ArrayList<>();
      for (int t = 0; t < 5; t++) {
        List<Float> v = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
          v.add(x.getFlat((i * 5 + t) * 3 + f));
        }
        seq.add(v);
      }
      rows.add(RowFactory.create(i, seq));
    }
    SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    StructType schema = new StructType().add("id", DataTypes.IntegerType)
        .add("x", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
    List<Row> scored = new RecurrentScorer().setModelPath(model.toString()).setWeightsPath(weights.toString()).setInputCols("x")
        .setOutputCols("y").setStateCols("h,c").transform(spark.createDataFrame(rows, schema).repartition(3)).orderBy("id").collectAsList();
    Result expected;
    try (Backend b = Backends.open("reference"); PreparedModel p = b.prepare(KerasModels.load(model, weights))) {
      expected = p.run(x);
    }
    for (Row row : scored) {
      int i = row.getInt(0);
      for (int s = 0; s < 2; s++) {
        List<Float> got = scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Float>) row.get(3 + s));
        for (int u = 0; u < 4; u++) {
          assertEquals(expected.flatStates().get(s).getFlat(i * 4 + u), got.get(u), 1e-6, "row " + i + " state " + s + " unit " + u);
        }
      }
    }
  }
}

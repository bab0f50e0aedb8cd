package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Backend;
import org.rnn4j.Backends;
import org.rnn4j.PreparedModel;
import org.rnn4j.Tensor;
import org.rnn4j.golden.GoldenFiles;
import org.rnn4j.keras.KerasModels;
import org.rnn4j.testing.RandomData;

/**
 * Per-key streaming: two keys' events arrive over two runs of a query (new files each time,
 * restarted from its checkpoint); every event's output equals the step of one call over the key's
 * whole sequence.
 */
class StatefulStreamsTest {
  private static final Path MODEL = GoldenFiles.path("fixtures/keras3/stacked.keras");
  private static final StructType EVENTS = new StructType().add("key", DataTypes.StringType).add("t", DataTypes.LongType)
      .add("x", DataTypes.createArrayType(DataTypes.FloatType));
  static final ConcurrentLinkedQueue<Row> SEEN = new ConcurrentLinkedQueue<>();

  @TempDir Path dir;

  @Test
  void steppingAKeyOneMicroBatchAtATimeGivesOneCallOverItsSequence() throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    // a run processes what is there and ends: no empty batches to look for timed-out keys
    spark.conf().set("spark.sql.streaming.noDataMicroBatches.enabled", "false");
    Map<String, Tensor> sequences = Map.of("a", RandomData.uniform(11, -1, 1, 1, 5, 3), "b", RandomData.uniform(12, -1, 1, 1, 5, 3));
    Path input = dir.resolve("events");
    Path checkpoint = dir.resolve("checkpoint");
    ModelSource source = ModelSource.read(MODEL, null, "reference", Map.of());
    SEEN.clear();
    // run 1: a's steps 0-2 and b's steps 0-1; run 2 (restarted from the checkpoint): the rest
    int[][] cuts = {{0, 3, 0, 2}, {3, 5, 2, 5}};
    for (int run = 0; run < 2; run++) {
      List<Row> rows = new ArrayList<>();
      addEvents(rows, "a", sequences.get("a"), cuts[run][0], cuts[run][1]);
      addEvents(rows, "b", sequences.get("b"), cuts[run][2], cuts[run][3]);
      spark.createDataFrame(rows, EVENTS).write().mode("append").parquet(input.toString());
      Dataset<Row> events = spark.readStream().schema(EVENTS).parquet(input.toString());
      StreamingQuery q = StatefulStreams.score(events, "key", "t", "x", source, Duration.ofHours(1)).writeStream()
          .outputMode("append").option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow())
          .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> SEEN.addAll(batch.collectAsList())).start();
      q.awaitTermination();
    }
    assertEquals(10, SEEN.size(), "one row per event, each scored once");
    try (Backend b = Backends.open("reference"); PreparedModel p = b.prepare(KerasModels.load(MODEL))) {
      for (String key : List.of("a", "b")) {
        Tensor whole = p.run(sequences.get(key)).output();
        for (Row r : SEEN) {
          if (!r.getString(0).equals(key)) {
            continue;
          }
          int t = (int) r.getDouble(1);
          List<Float> got = r.getList(2);
          for (int u = 0; u < got.size(); u++) {
            assertEquals(whole.getFlat(t * whole.dim(2) + u), got.get(u), 1e-6, key + " step " + t + " unit " + u);
          }
        }
      }
    }
    assertTrue(SEEN.stream().anyMatch(r -> r.getString(0).equals("a") && r.getDouble(1) == 4.0));
  }

  private static void addEvents(List<Row> rows, String key, Tensor seq, int from, int to) {
    for (int t = from; t < to; t++) {
      List<Float> x = new ArrayList<>();
      for (int f = 0; f < 3; f++) {
        x.add(seq.getFlat(t * 3 + f));
      }
      rows.add(RowFactory.create(key, (long) t, x));
    }
  }
}

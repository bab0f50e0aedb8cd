package org.rnn4j.spark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rnn4j.Call;
import org.rnn4j.InvalidInputException;
import org.rnn4j.PreparedModel;
import org.rnn4j.Result;
import org.rnn4j.StatefulModel;
import org.rnn4j.Tensor;

/**
 * Per-key stateful scoring of a stream of events for a model whose layers are {@code
 * stateful=True} (or any recurrent model, whose every layer then carries): each event is one time
 * step of one key's sequence. In every micro-batch a key's new events, in their order, run as one
 * call from the states the key's previous events left (kept in Spark's state store, so checkpointed
 * with the query), and the final states are kept for the next micro-batch. Stepping a key's events
 * one micro-batch at a time thus gives the numbers of one call over its whole sequence. A key not
 * seen for {@code ttl} (processing time) is forgotten.
 *
 * <pre>{@code
 * Dataset<Row> scored = StatefulStreams.score(events, "customer", "time", "features",
 *     ModelSource.read(Path.of("model.keras"), null, "reference", Map.of()), Duration.ofHours(24));
 * scored.writeStream().outputMode("append").option("checkpointLocation", "...").start();
 * }</pre>
 *
 * <p>Output: one row per event, {@code (key, order, output)}, the model's (first) output at that
 * step, for a model returning sequences; for one returning its last step only, one row per key and
 * micro-batch with the output after its last event.
 */
public final class StatefulStreams {
  private StatefulStreams() {}

  /**
   * @param keyCol the key (any type; compared as text)
   * @param orderCol a number giving the events' order within a key
   * @param featuresCol the event's features, {@code array<float>} (or double)
   */
  public static Dataset<Row> score(Dataset<Row> events, String keyCol, String orderCol, String featuresCol, ModelSource source,
      Duration ttl) {
    for (String c : List.of(keyCol, orderCol, featuresCol)) {
      if (!java.util.Arrays.asList(events.schema().fieldNames()).contains(c)) {
        throw new InvalidInputException("StatefulStreams: no column '" + c + "' (columns: " + String.join(", ", events.schema().fieldNames()) + ")");
      }
    }
    boolean sequences = outputIsSequence(source);
    Broadcast<ModelSource> shipped = JavaSparkContext.fromSparkContext(events.sparkSession().sparkContext()).broadcast(source);
    int key = events.schema().fieldIndex(keyCol);
    int order = events.schema().fieldIndex(orderCol);
    int features = events.schema().fieldIndex(featuresCol);
    long ttlMillis = ttl.toMillis();
    StructType out = new StructType().add("key", DataTypes.StringType).add("order", DataTypes.DoubleType)
        .add("output", DataTypes.createArrayType(DataTypes.FloatType, false));
    FlatMapGroupsWithStateFunction<String, Row, KeyStates, Row> step = (k, rows, state) -> {
      if (state.hasTimedOut()) {
        state.remove();
        return Collections.emptyIterator();
      }
      List<Row> batch = new ArrayList<>();
      rows.forEachRemaining(batch::add);
      batch.sort(Comparator.comparingDouble(r -> ((Number) r.get(order)).doubleValue()));
      Result result = run(ExecutorModels.get(shipped.value()), batch, features, state);
      state.setTimeoutDuration(ttlMillis);
      Tensor y = result.outputs().get(0);
      List<Row> emitted = new ArrayList<>();
      if (sequences) {
        int width = y.dim(2);
        for (int t = 0; t < batch.size(); t++) {
          emitted.add(RowFactory.create(k, ((Number) batch.get(t).get(order)).doubleValue(), floats(y, t * width, width)));
        }
      } else {
        emitted.add(RowFactory.create(k, ((Number) batch.get(batch.size() - 1).get(order)).doubleValue(), floats(y, 0, y.dim(1))));
      }
      return emitted.iterator();
    };
    return events.groupByKey((MapFunction<Row, String>) r -> String.valueOf(r.get(key)), Encoders.STRING())
        .flatMapGroupsWithState(step, OutputMode.Append(), Encoders.javaSerialization(KeyStates.class), Encoders.row(out),
            GroupStateTimeout.ProcessingTimeTimeout());
  }

  /** One key's new events as one call from its carried states; the final states carried on. */
  private static Result run(PreparedModel model, List<Row> batch, int features, GroupState<KeyStates> state) {
    int width = row(batch.get(0), features).size();
    float[] x = new float[batch.size() * width];
    for (int t = 0; t < batch.size(); t++) {
      List<?> v = row(batch.get(t), features);
      if (v.size() != width) {
        throw new InvalidInputException("an event of " + v.size() + " features among events of " + width);
      }
      for (int f = 0; f < width; f++) {
        x[t * width + f] = ((Number) v.get(f)).floatValue();
      }
    }
    // StatefulModel's carrying rule (the stateful layers, or every recurrent layer), from the stored states
    StatefulModel stream = StatefulModel.of(model);
    if (state.exists()) {
      stream.setStates(state.get().toLayerStates());
    }
    Result result = stream.run(Call.of(Tensor.wrap(new int[] {1, batch.size(), width}, x)));
    state.update(KeyStates.of(stream.states()));
    return result;
  }

  private static List<?> row(Row r, int column) {
    return r.getList(column);
  }

  private static scala.collection.immutable.Seq<Float> floats(Tensor t, int offset, int n) {
    List<Float> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(t.getFlat(offset + i));
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(out).toSeq();
  }

  private static boolean outputIsSequence(ModelSource source) {
    return source.load().architecture().outputShapes().get(0).length == 2;
  }
}

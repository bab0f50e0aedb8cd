package org.rnn4j.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Model;
import org.rnn4j.layers.Bidirectional;
import org.rnn4j.layers.LSTMCell;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.RNN;
import org.rnn4j.layers.Architecture;
import org.rnn4j.layers.Functional;
import org.rnn4j.layers.Sequential;
import org.rnn4j.layers.SingleCell;
import org.rnn4j.layers.StackedRNNCells;
import org.rnn4j.layers.Embedding;
import org.rnn4j.spi.AbstractBackend;
import org.rnn4j.spi.AbstractPreparedModel;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.ConfigProto;

/** The TensorFlow backend: graph-mode TensorFlow Java, one graph per call signature. */
final class TensorFlowBackend extends AbstractBackend {
  private final LstmPath lstmPath;
  private final ConfigProto config;

  TensorFlowBackend(LstmPath lstmPath, int intraOpThreads, int interOpThreads) {
    this.lstmPath = lstmPath;
    this.config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intraOpThreads)
            .setInterOpParallelismThreads(interOpThreads)
            .build();
  }

  @Override
  public String name() {
    return TensorFlowBackendProvider.NAME;
  }

  @Override
  public String version() {
    return TensorFlow.version();
  }

  /** With lstm_path=fused, every LSTM must be one the fused op computes, and unmasked. */
  @Override
  public List<String> unsupportedFeatures(Architecture architecture) {
    List<String> reasons = new ArrayList<>();
    if (lstmPath != LstmPath.FUSED) {
      return reasons;
    }
    // a graph may feed a mask to any call (Keras 3 writes Embedding masks as NotEqual nodes)
    boolean masked = architecture instanceof Functional f && f.nodes().stream().anyMatch(n -> n.mask() != null);
    for (int i = 0; i < architecture.layers().size(); i++) {
      Layer layer = architecture.layer(i);
      masked |= layer instanceof Masking || (layer instanceof Embedding e && e.maskZero());
      for (RNN rnn : recurrent(layer)) {
        List<SingleCell> cells = rnn.cell().cells();
        for (SingleCell cell : cells) {
          if (cell instanceof LSTMCell lstm && !LstmPath.fusedComputes(lstm)) {
            reasons.add("lstm_path=fused: layer '" + architecture.layerName(i) + "' has activation "
                + lstm.activation().kerasName() + "/" + lstm.recurrentActivation().kerasName()
                + "; BlockLSTM computes only tanh/sigmoid");
          }
        }
        if (masked) {
          reasons.add("lstm_path=fused: layer '" + architecture.layerName(i) + "' is masked; BlockLSTM cannot mask");
        }
      }
    }
    return reasons;
  }

  private static List<RNN> recurrent(Layer layer) {
    if (layer instanceof RNN r) {
      return List.of(r);
    }
    if (layer instanceof Bidirectional b) {
      return List.of(b.forwardLayer(), b.backwardLayer());
    }
    return List.of();
  }

  @Override
  protected AbstractPreparedModel doPrepare(Model model) {
    return new TfPreparedModel(model, lstmPath, config);
  }
}

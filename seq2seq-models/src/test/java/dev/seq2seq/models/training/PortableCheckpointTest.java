package dev.seq2seq.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.nn.Seq2Seq;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.checkpoint.Checkpoint;
import dev.seq2seq.models.checkpoint.CheckpointWriter;
import dev.seq2seq.models.data.Vocabulary;
import dev.seq2seq.models.decoding.DecodingOptions;
import dev.seq2seq.models.decoding.DecodingResult;
import dev.seq2seq.models.decoding.GreedyDecoder;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.optim.Adam;
import dev.seq2seq.models.optim.LearningRateSchedule;
import dev.seq2seq.models.transformer.TransformerSeq2Seq;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model trained on one backend, saved and loaded on the other, decodes the same outputs. */
class PortableCheckpointTest {
  @TempDir
  Path dir;

  private static TransformerSeq2Seq model(Backend b, long seed) {
    return TransformerSeq2Seq.builder().setBackend(b).setVocabularies(8, 8).setModelSize(16).setHeads(2)
        .optNumLayers(1, 1).optFeedForwardSize(32).optDropout(0).setRng(new Rng(seed)).build();
  }

  /** Sources of ids 4..7 (0..3 are <pad>, <sos>, <eos>, <unk>), reversed as targets. */
  private static List<int[]> sources(int n, long seed) {
    Rng r = new Rng(seed);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[3 + r.nextInt(3)];
      for (int j = 0; j < s.length; j++) {
        s[j] = 4 + r.nextInt(4);
      }
      out.add(s);
    }
    return out;
  }

  private static List<int[]> decode(Seq2Seq m, Backend b, List<int[]> sources) {
    int len = 5;
    int[] ids = new int[sources.size() * len];
    double[] mask = new double[sources.size() * len];
    for (int i = 0; i < sources.size(); i++) {
      for (int j = 0; j < sources.get(i).length; j++) {
        ids[i * len + j] = sources.get(i)[j];
        mask[i * len + j] = 1;
      }
    }
    GreedyDecoder greedy = new GreedyDecoder(DecodingOptions.builder().setSosId(Vocabulary.SOS).setEosId(Vocabulary.EOS).setMaxLength(8).build());
    List<int[]> out = new ArrayList<>();
    try (TensorScope scope = TensorScope.open()) {
      Tensor src = Tensors.of(b, ids, sources.size(), len);
      for (DecodingResult r : greedy.decode(m, src, Tensors.of(b, DType.FLOAT32, mask, Shape.of(sources.size(), len)))) {
        out.add(r.tokens());
      }
    }
    return out;
  }

  private void trainedOnDecodesTheSameOn(Backend from, Backend to) throws Exception {
    TransformerSeq2Seq trained = model(from, 1);
    TrainingStep step = new TrainingStep(trained, Adam.adam(trained.namedParameters()), new CrossEntropyLoss(),
        LearningRateSchedule.constant(0.003), 1.0, 1.0, new Rng(2));
    List<int[]> train = sources(64, 3);
    for (int s = 1; s <= 30; s++) {
      try (TensorScope scope = TensorScope.open()) {
        step.run(CopyBatches.reversed(from, train.subList((s % 4) * 16, (s % 4) * 16 + 16)), s);
      }
    }
    trained.setTraining(false);
    CheckpointWriter.builder().setModel(trained).build().save(dir.resolve(from.name()));
    TransformerSeq2Seq loaded = model(to, 99);
    Checkpoint.load(dir.resolve(from.name())).loadInto(loaded);
    loaded.setTraining(false);
    List<int[]> test = sources(32, 4);
    List<int[]> a = decode(trained, from, test);
    List<int[]> b = decode(loaded, to, test);
    assertThat(a.stream().map(java.util.Arrays::toString).distinct().count())
        .as("the trained model's outputs vary with the input (so equality says something)").isGreaterThan(5);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i)).as("output %d: trained on %s, decoded on %s", i, from.name(), to.name()).containsExactly(a.get(i));
    }
  }

  @Test
  void trainedOnEjmlDecodesTheSameOnTensorflowAndTheReverse() throws Exception {
    trainedOnDecodesTheSameOn(Backends.get("ejml"), Backends.get("tensorflow"));
    trainedOnDecodesTheSameOn(Backends.get("tensorflow"), Backends.get("ejml"));
  }
}

package dev.seq2seq.models.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.attention.BahdanauAttention;
import dev.seq2seq.models.layers.LayerNorm;
import dev.seq2seq.models.layers.Linear;
import dev.seq2seq.models.loss.CrossEntropyLoss;
import dev.seq2seq.models.rnn.LstmCell;
import dev.seq2seq.models.seq2seq.AttentionStyle;
import dev.seq2seq.models.seq2seq.RnnSeq2Seq;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  /** A small composite module: names like {@code proj.weight}, {@code norm.bias}. */
  static final class Tiny extends Module {
    final Linear proj;
    final LayerNorm norm;

    Tiny(Backend backend, DType dtype, long seed) {
      proj = registerModule("proj", new Linear(backend, dtype, 4, 3, new Rng(seed)));
      norm = registerModule("norm", new LayerNorm(backend, dtype, 3));
    }
  }

  static RnnSeq2Seq seq2seq(Backend backend, long seed) {
    DType f32 = DType.FLOAT32;
    return RnnSeq2Seq.builder().setBackend(backend).optDType(f32).setVocabularies(7, 6)
        .setCell(LstmCell.factory(backend, f32)).setHiddenSize(5).setEmbeddingSize(4).optNumLayers(2)
        .optBidirectionalEncoder(true).optDropout(0.1)
        .optAttention(AttentionStyle.BAHDANAU, (q, k, rng) -> new BahdanauAttention(backend, f32, q, k, q, rng))
        .setRng(new Rng(seed)).build();
  }

  static Map<String, HostTensor> snapshot(Module m) {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    m.namedParameters().forEach((k, p) -> out.put(k, HostTensor.of(p.value())));
    return out;
  }

  @Test
  void roundTripsASmallModuleOnEjml() throws IOException {
    Backend ejml = Backends.get("ejml");
    Tiny saved = new Tiny(ejml, DType.FLOAT32, 1);
    saved.norm.weight().set(Tensors.of(ejml, new float[] {0.5f, -1.25f, 3f}, 3));
    Path target = dir.resolve("ckpt");
    CheckpointWriter.builder().setModel(saved).build().save(target);

    Tiny loaded = new Tiny(ejml, DType.FLOAT32, 2);
    assertThat(snapshot(loaded)).isNotEqualTo(snapshot(saved));
    Checkpoint ckpt = Checkpoint.load(target);
    ckpt.loadInto(loaded);
    assertThat(snapshot(loaded)).isEqualTo(snapshot(saved));
    assertThat(ckpt.weights().keySet()).containsExactly("norm.bias", "norm.weight", "proj.bias", "proj.weight");
    assertThat(ckpt.weightsMetadata()).containsEntry("format", "pt");
    assertThat(ckpt.recoveredFromOld()).isFalse();
    assertThat(loaded.proj.weight().value().requiresGrad()).isTrue();
    // The directory holds exactly the documented files.
    try (var files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(Checkpoint.MODEL, Checkpoint.MANIFEST);
    }
  }

  @Test
  void savesAndRestoresEverythingElse() throws IOException {
    Backend ejml = Backends.get("ejml");
    RnnSeq2Seq model = seq2seq(ejml, 3);
    Rng dataRng = new Rng(11);
    dataRng.nextLong();
    model.namedRandoms().values().forEach(Rng::nextLong);
    Map<String, Tensor> optimizer = new LinkedHashMap<>();
    optimizer.put("exp_avg.decoder.weight", Tensors.of(ejml, new double[] {1e-3, -2e-3}, 2));
    optimizer.put("step", Tensors.of(ejml, new int[] {120}));
    JsonObject config = new JsonObject();
    config.addProperty("hidden_size", 5);
    JsonArray tokens = new JsonArray();
    tokens.add("<pad>");
    tokens.add("héllo");
    JsonObject extra = new JsonObject();
    extra.addProperty("best_loss", 2.5);
    TrainingState state = TrainingState.of(120, 4).withRng("data", dataRng).withModuleRandoms(model).withExtra(extra)
        .withRng("edge", new Rng(Long.MIN_VALUE));
    Path target = dir.resolve("full");
    CheckpointWriter.builder().setModel(model).optConfig(new Config(5, "lstm")).optVocabulary("source", tokens)
        .optVocabularyJson("target", "{\"tokens\": [\"a\", \"b\"]}").optOptimizerState(optimizer)
        .optTrainingState(state).optMetadata("run", "unit-test").build().save(target);

    Checkpoint ckpt = Checkpoint.load(target);
    assertThat(ckpt.config(Config.class)).isEqualTo(new Config(5, "lstm"));
    assertThat(ckpt.config()).contains(JsonParser.parseString("{\"hidden\": 5, \"cell\": \"lstm\"}"));
    assertThat(ckpt.vocabulary("source")).isEqualTo(tokens);
    assertThat(ckpt.vocabulary("target")).isEqualTo(JsonParser.parseString("{\"tokens\": [\"a\", \"b\"]}"));
    assertThatThrownBy(() -> ckpt.vocabulary("nope")).hasMessageContaining("no vocabulary 'nope'; saved: [source, target]");
    assertThat(ckpt.weightsMetadata()).containsEntry("run", "unit-test");
    Map<String, Tensor> opt = ckpt.optimizerState(Backends.get("tensorflow"));
    assertThat(opt.get("exp_avg.decoder.weight").toDoubleArray()).containsExactly(1e-3, -2e-3);
    assertThat(opt.get("step").toIntArray()).containsExactly(120);
    assertThat(opt.get("step").shape()).isEqualTo(Shape.scalar());
    TrainingState back = ckpt.trainingState().orElseThrow();
    assertThat(back).isEqualTo(state);
    assertThat(back.rngState("edge")).isEqualTo(Long.MIN_VALUE);
    assertThat(Rng.restore(back.rngState("data")).nextLong()).isEqualTo(dataRng.nextLong());

    RnnSeq2Seq other = seq2seq(ejml, 9);
    ckpt.loadInto(other);
    back.restoreModuleRandoms(other);
    assertThat(snapshot(other)).isEqualTo(snapshot(model));
    model.namedRandoms().forEach((k, rng) -> assertThat(other.namedRandoms().get(k).state()).as(k).isEqualTo(rng.state()));
  }

  record Config(int hidden, String cell) {}

  @Test
  void weightsAreBitIdenticalAcrossBackendsBothWays() throws IOException {
    Backend ejml = Backends.get("ejml");
    Backend tf = Backends.get("tensorflow");
    for (Backend[] pair : new Backend[][] {{ejml, tf}, {tf, ejml}}) {
      RnnSeq2Seq saved = seq2seq(pair[0], 5);
      Path target = dir.resolve("from-" + pair[0].name());
      CheckpointWriter.builder().setModel(saved).build().save(target);
      RnnSeq2Seq loaded = seq2seq(pair[1], 6);
      Checkpoint.load(target).loadInto(loaded);
      for (Map.Entry<String, Parameter> e : loaded.namedParameters().entrySet()) {
        assertThat(e.getValue().value().backend()).isSameAs(pair[1]);
      }
      assertThat(snapshot(loaded)).as("%s -> %s", pair[0].name(), pair[1].name()).isEqualTo(snapshot(saved));
      // And the loaded model computes the same loss (within the cross-backend float32 tolerance).
      saved.setTraining(false);
      loaded.setTraining(false);
      assertThat(loss(loaded, pair[1])).isCloseTo(loss(saved, pair[0]), org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  private static double loss(RnnSeq2Seq m, Backend b) {
    DType f32 = DType.FLOAT32;
    Seq2SeqBatch batch = new Seq2SeqBatch(
        Tensors.of(b, new int[] {1, 4, 2, 5, 3, 0}, 2, 3), Tensors.of(b, new float[] {1, 1, 1, 1, 1, 0}, 2, 3),
        Tensors.of(b, new int[] {0, 2, 4, 0, 3, 1}, 2, 3), Tensors.of(b, new int[] {2, 4, 1, 3, 1, 0}, 2, 3),
        Tensors.of(b, new float[] {1, 1, 1, 1, 1, 0}, 2, 3));
    return new CrossEntropyLoss().apply(m.logits(batch), batch.targetOutput(), batch.targetMask()).item();
  }

  @Test
  void mismatchedModulesGetOneMessageListingEverything() throws IOException {
    Backend ejml = Backends.get("ejml");
    Map<String, Tensor> weights = new LinkedHashMap<>();
    weights.put("proj.weight", Tensors.zeros(ejml, DType.FLOAT32, Shape.of(4, 3)));
    weights.put("proj.bias", Tensors.zeros(ejml, DType.FLOAT64, Shape.of(3)));
    weights.put("norm.weight", Tensors.zeros(ejml, DType.FLOAT32, Shape.of(3)));
    weights.put("head.weight", Tensors.zeros(ejml, DType.FLOAT32, Shape.of(2, 2)));
    Path target = dir.resolve("bad");
    CheckpointWriter.builder().setWeights(weights).build().save(target);
    Tiny tiny = new Tiny(ejml, DType.FLOAT32, 1);
    Map<String, HostTensor> before = snapshot(tiny);

    assertThatThrownBy(() -> Checkpoint.load(target).loadInto(tiny))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match the module (4 parameters, 4 stored tensors)")
        .hasMessageContaining("missing from the checkpoint: [norm.bias [3]]")
        .hasMessageContaining("unexpected in the checkpoint: [head.weight [2, 2]]")
        .hasMessageContaining("shape mismatch: [proj.weight: module [3, 4], checkpoint [4, 3]]")
        .hasMessageContaining("dtype mismatch: [proj.bias: module float32, checkpoint float64]")
        .hasMessageContaining("CONVERT_FLOATING");
    assertThat(snapshot(tiny)).as("nothing changed").isEqualTo(before);
  }

  @Test
  void convertsFloatDTypesOnlyWhenAsked() throws IOException {
    Backend ejml = Backends.get("ejml");
    Tiny f64 = new Tiny(ejml, DType.FLOAT64, 1);
    Path target = dir.resolve("f64");
    CheckpointWriter.builder().setModel(f64).build().save(target);
    Tiny f32 = new Tiny(ejml, DType.FLOAT32, 2);
    Checkpoint ckpt = Checkpoint.load(target);
    assertThatThrownBy(() -> ckpt.loadInto(f32)).hasMessageContaining("dtype mismatch: [proj.weight: module float32, checkpoint float64");
    ckpt.loadInto(f32, Checkpoint.DTypePolicy.CONVERT_FLOATING);
    double[] expected = f64.proj.weight().value().toDoubleArray();
    float[] actual = f32.proj.weight().value().toFloatArray();
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).isEqualTo((float) expected[i]);
    }
    assertThat(f32.proj.weight().value().dtype()).isEqualTo(DType.FLOAT32);
  }

  @Test
  void damagedCheckpointFilesAreNamed() throws IOException {
    Backend ejml = Backends.get("ejml");
    Path target = dir.resolve("c");
    CheckpointWriter.builder().setModel(new Tiny(ejml, DType.FLOAT32, 1)).optConfig(new Config(1, "gru")).build().save(target);
    Path model = target.resolve(Checkpoint.MODEL);
    byte[] good = Files.readAllBytes(model);

    byte[] flipped = good.clone();
    flipped[flipped.length - 1] ^= 0x40; // a data byte: only the checksum can see it
    Files.write(model, flipped);
    assertThatThrownBy(() -> Checkpoint.load(target)).isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining(model.toString()).hasMessageContaining("SHA-256 is").hasMessageContaining("the manifest says");

    Files.write(model, java.util.Arrays.copyOf(good, good.length - 4));
    assertThatThrownBy(() -> Checkpoint.load(target)).isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("size is " + (good.length - 4) + " bytes, the manifest says " + good.length);

    Files.delete(model);
    assertThatThrownBy(() -> Checkpoint.load(target)).isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining(model + ": listed in the manifest but missing");

    Files.write(model, good);
    Files.writeString(target.resolve(Checkpoint.MANIFEST), "{\"format\": \"seq2seq-checkpoint\", \"version\": 1, \"files\": ");
    assertThatThrownBy(() -> Checkpoint.load(target)).isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("manifest.json: not valid JSON");

    Files.delete(target.resolve(Checkpoint.MANIFEST));
    assertThatThrownBy(() -> Checkpoint.load(target)).isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("no manifest.json: not a checkpoint, or an incomplete one");

    assertThatThrownBy(() -> Checkpoint.load(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("absent.old");
  }

  @Test
  void neverReplacesADirectoryThatIsNotACheckpoint() throws IOException {
    Path target = dir.resolve("mine");
    Files.createDirectories(target);
    Files.writeString(target.resolve("notes.txt"), "precious");
    CheckpointWriter w = CheckpointWriter.builder().setModel(new Tiny(Backends.get("ejml"), DType.FLOAT32, 1)).build();
    assertThatThrownBy(() -> w.save(target)).isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("is not a checkpoint (no manifest.json)");
    assertThat(Files.readString(target.resolve("notes.txt"))).isEqualTo("precious");

    // Nor a foreign directory that happens to be named like the aside copy.
    Path other = dir.resolve("other");
    Path aside = dir.resolve("other.old");
    Files.createDirectories(aside);
    Files.writeString(aside.resolve("notes.txt"), "also precious");
    assertThatThrownBy(() -> w.save(other)).isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("other.old").hasMessageContaining("is not a checkpoint");
    assertThat(Files.readString(aside.resolve("notes.txt"))).isEqualTo("also precious");
    assertThat(Files.exists(other)).isFalse();
  }
}

package dev.seq2seq.models.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.models.checkpoint.CorruptCheckpointException;
import dev.seq2seq.models.data.CharacterTokenizer;
import dev.seq2seq.models.data.Vocabulary;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelTest {
  private static final Vocabulary SOURCE = Vocabulary.of(List.of("a", "b", "c"));
  private static final Vocabulary TARGET = Vocabulary.of(List.of("x", "y"));

  @TempDir
  Path dir;

  private static ModelSpec rnn(int hidden) {
    return new ModelSpec("rnn", "char", "lstm", "luong_general", 8, hidden, 1, true, 0, 0, 0, 0.0, 0, 7).withDefaults();
  }

  private static SavedModel build(ModelSpec spec, Backend backend) {
    return new SavedModel(spec, SOURCE, TARGET, spec.build(BackendBoundComponent.on(backend), SOURCE.size(), TARGET.size()));
  }

  @Test
  void aSavedModelLoadsOnTheOtherBackendWithSpecVocabulariesAndWeights() throws Exception {
    SavedModel saved = build(rnn(12), Backends.get("ejml"));
    saved.save(dir.resolve("m"));
    SavedModel loaded = SavedModel.load(dir.resolve("m"), BackendBoundComponent.on(Backends.get("tensorflow")));
    assertThat(loaded.spec()).isEqualTo(saved.spec());
    assertThat(loaded.spec().newTokenizer()).isInstanceOf(CharacterTokenizer.class);
    assertThat(loaded.source()).isEqualTo(SOURCE);
    assertThat(loaded.target()).isEqualTo(TARGET);
    Map<String, Parameter> before = ((Module) saved.model()).namedParameters();
    Map<String, Parameter> after = ((Module) loaded.model()).namedParameters();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((name, p) -> {
      assertThat(after.get(name).value().backend().name()).isEqualTo("tensorflow");
      assertThat(after.get(name).value().toFloatArray()).as(name).containsExactly(p.value().toFloatArray());
    });
  }

  @Test
  void theConfigIsTheSpecAsSnakeCaseJson() throws Exception {
    ModelSpec spec = new ModelSpec("transformer", null, null, null, 0, 0, 2, false, 32, 4, 0, 0.1, 64, 3).withDefaults();
    build(spec, Backends.get("ejml")).save(dir.resolve("t"));
    String json = Files.readString(dir.resolve("t").resolve("config.json"));
    assertThat(json).contains("\"family\": \"transformer\"", "\"d_model\": 32", "\"max_length\": 64", "\"ffn\": 128");
    assertThat(new Gson().fromJson(json, ModelSpec.class)).isEqualTo(spec);
  }

  @Test
  void aCheckpointOfADifferentSizeNamesTheMismatchedParameters() throws Exception {
    // A config saying hidden 16 next to 12-wide tensors (editing config.json by hand would trip the
    // manifest's checksum instead, so the mismatch is saved as such).
    Path config = dir.resolve("m").resolve("config.json");
    SavedModel small = build(rnn(12), Backends.get("ejml"));
    new SavedModel(rnn(16), SOURCE, TARGET, small.model()).save(dir.resolve("m"));
    assertThat(Files.readString(config)).contains("\"hidden\": 16");
    assertThatThrownBy(() -> SavedModel.load(dir.resolve("m"), BackendBoundComponent.on(Backends.get("ejml"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shape mismatch")
        .hasMessageContaining("weight_hh_l0");
  }

  @Test
  void aDirectoryThatIsNotACheckpointSaysSo() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    ModelComponent c = BackendBoundComponent.on(Backends.get("ejml"));
    assertThatThrownBy(() -> SavedModel.load(dir.resolve("empty"), c))
        .isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("not a checkpoint");
    assertThatThrownBy(() -> SavedModel.load(dir.resolve("missing"), c))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing");
  }

  @Test
  void specValuesOutOfRangeAreNamed() {
    assertThatThrownBy(() -> new ModelSpec("cnn", null, null, null, 0, 0, 0, false, 0, 0, 0, 0, 0, 0).withDefaults())
        .hasMessageContaining("unknown family 'cnn'").hasMessageContaining("[rnn, transformer]");
    assertThatThrownBy(() -> new ModelSpec("transformer", null, null, null, 0, 0, 0, false, 30, 4, 0, 0, 0, 0).withDefaults())
        .hasMessageContaining("heads 4 must divide d_model 30");
    assertThatThrownBy(() -> new ModelSpec(null, null, null, null, 0, -1, 0, false, 0, 0, 0, 0, 0, 0).withDefaults())
        .hasMessageContaining("hidden must be > 0, got -1");
  }
}

package dev.seq2seq.models.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Saves a checkpoint directory (see the package documentation for the
 * layout) atomically: a crash at any point leaves the previous checkpoint or the new one, complete.
 *
 * <pre>{@code
 * CheckpointWriter.builder()
 *     .setModel(model)                                   // model.safetensors
 *     .optConfig(config)                                 // config.json (a Gson-serializable object or a JsonElement)
 *     .optVocabulary("source", sourceVocab.toJson())     // vocab.source.json
 *     .optOptimizerState(adam.stateTensors())            // optimizer.safetensors
 *     .optTrainingState(TrainingState.of(step, epoch).withRng("data", dataRng).withModuleRandoms(model))
 *     .build()
 *     .save(Path.of("runs/latest"));
 * }</pre>
 *
 * <p>The builder captures the tensors (immutable values) when {@link Builder#build()} is called;
 * call {@link #save} before the parameters are updated again inside a {@code TensorScope} that
 * would release the captured values.
 */
public final class CheckpointWriter {
  private static final Pattern VOCAB_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private final Map<String, Tensor> weights;
  private final Map<String, String> metadata;
  private final JsonElement config;
  private final Map<String, JsonElement> vocabularies;
  private final Map<String, Tensor> optimizer;
  private final TrainingState trainingState;

  private CheckpointWriter(Builder b) {
    this.weights = new TreeMap<>(b.weights);
    this.metadata = new TreeMap<>(b.metadata);
    this.config = b.config;
    this.vocabularies = new TreeMap<>(b.vocabularies);
    this.optimizer = b.optimizer == null ? null : new TreeMap<>(b.optimizer);
    this.trainingState = b.trainingState;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the checkpoint to directory {@code target}, atomically replacing any previous checkpoint
   * there: the files go to a temporary sibling directory, each is forced to the device, then the
   * directory is renamed into place (see the package documentation for the exact protocol and the
   * recovery rule {@link Checkpoint#load} applies).
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists, is not empty and is
   *     not a checkpoint (has no {@value Checkpoint#MANIFEST}); it is left alone
   */
  public void save(Path target) throws IOException {
    AtomicDirectory.replace(target, this::writeTo, Checkpoint.MANIFEST);
  }

  private void writeTo(Path dir) throws IOException {
    Map<String, Path> files = new LinkedHashMap<>();
    Path model = dir.resolve(Checkpoint.MODEL);
    Map<String, String> meta = new TreeMap<>(metadata);
    meta.putIfAbsent("format", "pt");
    SafeTensors.write(model, weights, meta);
    files.put(Checkpoint.MODEL, model);
    AtomicDirectory.hook.reached("wrote:" + Checkpoint.MODEL);
    if (config != null) {
      files.put(Checkpoint.CONFIG, writeJson(dir, Checkpoint.CONFIG, config));
    }
    for (Map.Entry<String, JsonElement> v : vocabularies.entrySet()) {
      String name = Checkpoint.vocabularyFile(v.getKey());
      files.put(name, writeJson(dir, name, v.getValue()));
    }
    if (optimizer != null) {
      Path opt = dir.resolve(Checkpoint.OPTIMIZER);
      SafeTensors.write(opt, optimizer, Map.of());
      files.put(Checkpoint.OPTIMIZER, opt);
      AtomicDirectory.hook.reached("wrote:" + Checkpoint.OPTIMIZER);
    }
    if (trainingState != null) {
      files.put(Checkpoint.TRAINING_STATE, writeJson(dir, Checkpoint.TRAINING_STATE, trainingState.toJson()));
    }
    // The manifest goes last: its presence marks a complete directory.
    JsonObject manifest = new JsonObject();
    manifest.addProperty("format", Checkpoint.FORMAT);
    manifest.addProperty("version", Checkpoint.VERSION);
    JsonObject listed = new JsonObject();
    for (Map.Entry<String, Path> f : files.entrySet()) {
      JsonObject entry = new JsonObject();
      entry.addProperty("bytes", Files.size(f.getValue()));
      entry.addProperty("sha256", sha256(f.getValue()));
      listed.add(f.getKey(), entry);
    }
    manifest.add("files", listed);
    writeJson(dir, Checkpoint.MANIFEST, manifest);
  }

  private static Path writeJson(Path dir, String name, JsonElement json) throws IOException {
    Path file = dir.resolve(name);
    AtomicDirectory.writeFile(file, (GSON.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
    AtomicDirectory.hook.reached("wrote:" + name);
    return file;
  }

  /** The lower-case hex SHA-256 of a file, streamed. */
  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Collects what a checkpoint holds; weights are required, everything else optional. */
  public static final class Builder {
    private Map<String, Tensor> weights;
    private final Map<String, String> metadata = new TreeMap<>();
    private JsonElement config;
    private final Map<String, JsonElement> vocabularies = new TreeMap<>();
    private Map<String, Tensor> optimizer;
    private TrainingState trainingState;

    private Builder() {}

    /** The weights are {@code module}'s parameters under their {@link Module#namedParameters()} names. */
    public Builder setModel(Module module) {
      Map<String, Tensor> w = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
        w.put(e.getKey(), e.getValue().value());
      }
      return setWeights(w);
    }

    /** The weights as named tensors (names are the keys of {@code model.safetensors}). */
    public Builder setWeights(Map<String, Tensor> weights) {
      checkState(this.weights == null, "checkpoint: weights are already set");
      weights.forEach((k, v) -> checkArgument(k != null && !k.isEmpty() && v != null, "checkpoint: invalid weight %s=%s", k, v));
      this.weights = new LinkedHashMap<>(weights);
      return this;
    }

    /** A string stored in the {@code __metadata__} of {@code model.safetensors} ({@code format} defaults to {@code pt}). */
    public Builder optMetadata(String key, String value) {
      checkArgument(key != null && value != null, "checkpoint: metadata key and value must not be null");
      metadata.put(key, value);
      return this;
    }

    /**
     * The model configuration, stored as {@code config.json}: a {@link JsonElement} as given, any
     * other object through Gson's default reflective serialization.
     */
    public Builder optConfig(Object config) {
      checkArgument(config != null, "checkpoint: config must not be null");
      this.config = config instanceof JsonElement ? ((JsonElement) config).deepCopy() : GSON.toJsonTree(config);
      return this;
    }

    /** A vocabulary stored as {@code vocab.<name>.json}; {@code name} is letters, digits, {@code _} or {@code -}. */
    public Builder optVocabulary(String name, JsonElement vocabulary) {
      checkArgument(name != null && VOCAB_NAME.matcher(name).matches(),
          "checkpoint: vocabulary name '%s' must be letters, digits, '_' or '-'", name);
      checkArgument(vocabulary != null, "checkpoint: vocabulary '%s' is null", name);
      checkArgument(!vocabularies.containsKey(name), "checkpoint: vocabulary '%s' is already set", name);
      vocabularies.put(name, vocabulary.deepCopy());
      return this;
    }

    /**
     * A vocabulary given as JSON text (e.g. from a tokenizer's own {@code toJson()}).
     *
     * @throws IllegalArgumentException if {@code json} is not valid JSON
     */
    public Builder optVocabularyJson(String name, String json) {
      JsonElement parsed;
      try {
        parsed = JsonParser.parseString(json);
      } catch (JsonSyntaxException e) {
        throw new IllegalArgumentException("checkpoint: vocabulary '" + name + "' is not valid JSON: " + e.getMessage(), e);
      }
      return optVocabulary(name, parsed);
    }

    /** The optimizer's state as named tensors (e.g. {@code exp_avg.<param>}), stored as {@code optimizer.safetensors}. */
    public Builder optOptimizerState(Map<String, Tensor> state) {
      state.forEach((k, v) -> checkArgument(k != null && !k.isEmpty() && v != null, "checkpoint: invalid optimizer tensor %s=%s", k, v));
      this.optimizer = new LinkedHashMap<>(state);
      return this;
    }

    /** Step, epoch, RNG states and extra JSON, stored as {@code training_state.json}. */
    public Builder optTrainingState(TrainingState state) {
      checkArgument(state != null, "checkpoint: training state must not be null");
      this.trainingState = state;
      return this;
    }

    /**
     * A writer for what was given.
     *
     * @throws IllegalStateException if no weights were given
     */
    public CheckpointWriter build() {
      checkState(weights != null, "checkpoint: weights are required (setModel or setWeights)");
      return new CheckpointWriter(this);
    }
  }
}

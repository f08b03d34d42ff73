package dev.seq2seq.models.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint read back from disk and fully validated, held in Java memory independent of any
 * backend; {@link #loadInto} puts the weights on whatever backend a module lives on.
 *
 * <p>{@link #load} applies the recovery rule of an interrupted save (use {@code T}, else
 * {@code T.old}), then checks the manifest (every listed file present with its size and SHA-256),
 * then parses every file with the checks of {@link SafeTensors} and of the JSON files. Anything
 * wrong fails with a {@link CorruptCheckpointException} naming the file and the problem.
 */
public final class Checkpoint {
  /** The weights file. */
  public static final String MODEL = "model.safetensors";
  /** The model configuration. */
  public static final String CONFIG = "config.json";
  /** The optimizer state. */
  public static final String OPTIMIZER = "optimizer.safetensors";
  /** Step, epoch, RNG states and extra JSON. */
  public static final String TRAINING_STATE = "training_state.json";
  /** Sizes and SHA-256 of every other file; written last. */
  public static final String MANIFEST = "manifest.json";
  /** The {@code format} value of the manifest. */
  public static final String FORMAT = "seq2seq-checkpoint";
  /** The layout version written by this code. */
  public static final int VERSION = 1;

  private static final Pattern VOCAB_FILE = Pattern.compile("vocab\\.([A-Za-z0-9_-]+)\\.json");

  /** How {@link #loadInto} treats a stored dtype that differs from the parameter's. */
  public enum DTypePolicy {
    /** Stored and parameter dtypes must agree (the default). */
    EXACT,
    /** Float32 and float64 are converted to the parameter's dtype (float64 to float32 rounds). */
    CONVERT_FLOATING
  }

  private final Path directory;
  private final boolean recovered;
  private final Map<String, HostTensor> weights;
  private final Map<String, String> metadata;
  private final JsonElement config;
  private final Map<String, JsonElement> vocabularies;
  private final Map<String, HostTensor> optimizer;
  private final TrainingState trainingState;

  private Checkpoint(Path directory, boolean recovered, Map<String, HostTensor> weights, Map<String, String> metadata,
      JsonElement config, Map<String, JsonElement> vocabularies, Map<String, HostTensor> optimizer, TrainingState trainingState) {
    this.directory = directory;
    this.recovered = recovered;
    this.weights = weights;
    this.metadata = metadata;
    this.config = config;
    this.vocabularies = vocabularies;
    this.optimizer = optimizer;
    this.trainingState = trainingState;
  }

  static String vocabularyFile(String name) {
    return "vocab." + name + ".json";
  }

  /**
   * Reads and validates the checkpoint saved to {@code target}. If {@code target} does not exist
   * but {@code target.old} does (a save was interrupted between moving the old checkpoint aside and
   * moving the new one in), that complete previous checkpoint is read instead; {@link
   * #recoveredFromOld()} says so. Nothing on disk is changed (the next save repairs it).
   *
   * @throws java.nio.file.NoSuchFileException if neither exists
   * @throws CorruptCheckpointException if anything is missing, truncated or malformed
   */
  public static Checkpoint load(Path target) throws IOException {
    Path dir = AtomicDirectory.resolveForLoad(target);
    boolean recovered = !dir.equals(target);
    Map<String, JsonObject> files = verifyManifest(dir);
    if (!files.containsKey(MODEL)) {
      throw new CorruptCheckpointException(dir.resolve(MANIFEST), "lists no " + MODEL);
    }
    Map<String, HostTensor> weights;
    Map<String, String> metadata;
    try (SafeTensorsFile f = SafeTensors.open(dir.resolve(MODEL))) {
      metadata = f.metadata();
      weights = readAll(f);
    }
    JsonElement config = files.containsKey(CONFIG) ? readJson(dir.resolve(CONFIG)) : null;
    Map<String, JsonElement> vocabularies = new TreeMap<>();
    for (String name : files.keySet()) {
      Matcher m = VOCAB_FILE.matcher(name);
      if (m.matches()) {
        vocabularies.put(m.group(1), readJson(dir.resolve(name)));
      }
    }
    Map<String, HostTensor> optimizer = null;
    if (files.containsKey(OPTIMIZER)) {
      try (SafeTensorsFile f = SafeTensors.open(dir.resolve(OPTIMIZER))) {
        optimizer = readAll(f);
      }
    }
    TrainingState state = null;
    if (files.containsKey(TRAINING_STATE)) {
      Path file = dir.resolve(TRAINING_STATE);
      state = TrainingState.fromJson(file, readJson(file));
    }
    return new Checkpoint(dir, recovered, Collections.unmodifiableMap(weights), metadata, config,
        Collections.unmodifiableMap(vocabularies), optimizer == null ? null : Collections.unmodifiableMap(optimizer), state);
  }

  private static Map<String, HostTensor> readAll(SafeTensorsFile f) throws IOException {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (String name : f.names()) {
      out.put(name, f.read(name));
    }
    return out;
  }

  /** Parses the manifest and checks every listed file's size and SHA-256; returns the listing. */
  private static Map<String, JsonObject> verifyManifest(Path dir) throws IOException {
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.exists(manifestFile)) {
      throw new CorruptCheckpointException(dir, "no " + MANIFEST + ": not a checkpoint, or an incomplete one");
    }
    JsonElement json = readJson(manifestFile);
    if (!json.isJsonObject()) {
      throw new CorruptCheckpointException(manifestFile, "must be a JSON object");
    }
    JsonObject manifest = json.getAsJsonObject();
    JsonElement format = manifest.get("format");
    if (format == null || !format.isJsonPrimitive() || !FORMAT.equals(format.getAsString())) {
      throw new CorruptCheckpointException(manifestFile, "format must be '" + FORMAT + "', found " + format);
    }
    JsonElement version = manifest.get("version");
    if (version == null || !version.isJsonPrimitive() || !((JsonPrimitive) version).isNumber()
        || !version.getAsString().equals(Integer.toString(VERSION))) {
      throw new CorruptCheckpointException(manifestFile, "version must be " + VERSION + " (this reader's), found " + version);
    }
    JsonElement listedJson = manifest.get("files");
    if (listedJson == null || !listedJson.isJsonObject()) {
      throw new CorruptCheckpointException(manifestFile, "'files' must be an object {name: {bytes, sha256}}");
    }
    Map<String, JsonObject> listed = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : listedJson.getAsJsonObject().entrySet()) {
      String name = e.getKey();
      boolean known = name.equals(MODEL) || name.equals(CONFIG) || name.equals(OPTIMIZER) || name.equals(TRAINING_STATE)
          || VOCAB_FILE.matcher(name).matches();
      if (!known) {
        throw new CorruptCheckpointException(manifestFile, "lists unknown file '" + name + "'");
      }
      if (!e.getValue().isJsonObject()) {
        throw new CorruptCheckpointException(manifestFile, "entry '" + name + "' must be an object {bytes, sha256}");
      }
      JsonObject entry = e.getValue().getAsJsonObject();
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new CorruptCheckpointException(file, "listed in the manifest but missing");
      }
      long expectedBytes;
      String expectedSha;
      try {
        expectedBytes = entry.get("bytes").getAsLong();
        expectedSha = entry.get("sha256").getAsString();
      } catch (RuntimeException ex) {
        throw new CorruptCheckpointException(manifestFile, "entry '" + name + "' must have integer 'bytes' and string 'sha256'", ex);
      }
      long actualBytes = Files.size(file);
      if (actualBytes != expectedBytes) {
        throw new CorruptCheckpointException(file,
            String.format("size is %d bytes, the manifest says %d (truncated or replaced?)", actualBytes, expectedBytes));
      }
      String actualSha = CheckpointWriter.sha256(file);
      if (!actualSha.equalsIgnoreCase(expectedSha)) {
        throw new CorruptCheckpointException(file,
            String.format("SHA-256 is %s, the manifest says %s (corrupted?)", actualSha, expectedSha));
      }
      listed.put(name, entry);
    }
    return listed;
  }

  private static JsonElement readJson(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    try {
      return JsonParser.parseString(text);
    } catch (JsonParseException e) {
      throw new CorruptCheckpointException(file, "not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Sets every parameter of {@code module} from the stored weights, requiring equal dtypes.
   *
   * @see #loadInto(Module, DTypePolicy)
   */
  public void loadInto(Module module) {
    loadInto(module, DTypePolicy.EXACT);
  }

  /**
   * Sets every parameter of {@code module} from the stored weights, creating the tensors on the
   * backend of each parameter's current value (so a checkpoint written on one backend loads on
   * any). The names must match exactly: every parameter present with its shape, no extra tensors.
   * Everything is checked before anything is changed.
   *
   * @throws IllegalArgumentException with one message listing the missing names (with the module's
   *     shapes), the unexpected names (with the stored shapes), shape mismatches and dtype
   *     mismatches (module vs checkpoint); the module is left unchanged
   */
  public void loadInto(Module module, DTypePolicy policy) {
    Map<String, Parameter> params = module.namedParameters();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> shapes = new ArrayList<>();
    List<String> dtypes = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      Tensor value = e.getValue().value();
      HostTensor stored = weights.get(e.getKey());
      if (stored == null) {
        missing.add(e.getKey() + " " + value.shape());
        continue;
      }
      if (!stored.shape().equals(value.shape())) {
        shapes.add(e.getKey() + ": module " + value.shape() + ", checkpoint " + stored.shape());
      }
      boolean convertible = policy == DTypePolicy.CONVERT_FLOATING && stored.dtype().isFloating() && value.dtype().isFloating();
      if (stored.dtype() != value.dtype() && !convertible) {
        dtypes.add(e.getKey() + ": module " + value.dtype().label() + ", checkpoint " + stored.dtype().label());
      }
    }
    for (Map.Entry<String, HostTensor> e : weights.entrySet()) {
      if (!params.containsKey(e.getKey())) {
        unexpected.add(e.getKey() + " " + e.getValue().shape());
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !shapes.isEmpty() || !dtypes.isEmpty()) {
      StringBuilder msg = new StringBuilder("checkpoint " + directory + " does not match the module (" + params.size()
          + " parameters, " + weights.size() + " stored tensors):");
      if (!missing.isEmpty()) {
        msg.append("\n  missing from the checkpoint: ").append(missing);
      }
      if (!unexpected.isEmpty()) {
        msg.append("\n  unexpected in the checkpoint: ").append(unexpected);
      }
      if (!shapes.isEmpty()) {
        msg.append("\n  shape mismatch: ").append(shapes);
      }
      if (!dtypes.isEmpty()) {
        msg.append("\n  dtype mismatch: ").append(dtypes)
            .append(policy == DTypePolicy.EXACT ? " (DTypePolicy.CONVERT_FLOATING converts float32 <-> float64)" : "");
      }
      throw new IllegalArgumentException(msg.toString());
    }
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      Parameter p = e.getValue();
      Backend backend = p.value().backend();
      p.set(weights.get(e.getKey()).convertTo(p.value().dtype()).toTensor(backend));
    }
  }

  /** The directory actually read: the target, or {@code target.old} after an interrupted save. */
  public Path directory() {
    return directory;
  }

  /** Whether the target was missing and the previous checkpoint {@code target.old} was read. */
  public boolean recoveredFromOld() {
    return recovered;
  }

  /** The stored weights by name (sorted). */
  public Map<String, HostTensor> weights() {
    return weights;
  }

  /** The {@code __metadata__} of {@code model.safetensors}. */
  public Map<String, String> weightsMetadata() {
    return metadata;
  }

  /** The model configuration, if one was saved (a copy). */
  public Optional<JsonElement> config() {
    return Optional.ofNullable(config).map(JsonElement::deepCopy);
  }

  /**
   * The model configuration as {@code type} through Gson.
   *
   * @throws IllegalStateException if no configuration was saved
   */
  public <T> T config(Class<T> type) {
    if (config == null) {
      throw new IllegalStateException("checkpoint " + directory + " has no " + CONFIG);
    }
    return CheckpointWriter.GSON.fromJson(config, type);
  }

  /** The vocabularies by name (copies). */
  public Map<String, JsonElement> vocabularies() {
    Map<String, JsonElement> out = new TreeMap<>();
    vocabularies.forEach((k, v) -> out.put(k, v.deepCopy()));
    return out;
  }

  /**
   * Vocabulary {@code name}.
   *
   * @throws IllegalArgumentException listing the saved names if there is none
   */
  public JsonElement vocabulary(String name) {
    JsonElement v = vocabularies.get(name);
    checkArgument(v != null, "checkpoint %s: no vocabulary '%s'; saved: %s", directory, name, vocabularies.keySet());
    return v.deepCopy();
  }

  /** The optimizer state in Java memory, if one was saved. */
  public Optional<Map<String, HostTensor>> optimizerState() {
    return Optional.ofNullable(optimizer);
  }

  /**
   * The optimizer state as tensors on {@code backend} (in name order).
   *
   * @throws IllegalStateException if none was saved
   */
  public Map<String, Tensor> optimizerState(Backend backend) {
    if (optimizer == null) {
      throw new IllegalStateException("checkpoint " + directory + " has no " + OPTIMIZER);
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    optimizer.forEach((k, v) -> out.put(k, v.toTensor(backend)));
    return out;
  }

  /** Step, epoch, RNG states and extra JSON, if saved. */
  public Optional<TrainingState> trainingState() {
    return Optional.ofNullable(trainingState);
  }

  /** The weight of {@code name} converted to {@code dtype} on {@code backend}. */
  public Tensor weight(String name, Backend backend, DType dtype) {
    HostTensor h = weights.get(name);
    checkArgument(h != null, "checkpoint %s: no weight '%s'; stored: %s", directory, name, weights.keySet());
    return h.convertTo(dtype).toTensor(backend);
  }
}

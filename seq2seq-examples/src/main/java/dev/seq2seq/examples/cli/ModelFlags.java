package dev.seq2seq.examples.cli;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.seq2seq.models.inject.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The model options of {@code train}: a JSON {@link ModelSpec} file ({@code --config}) and flags
 * that override its keys one by one. Unset flags leave the file's value (or the default).
 */
final class ModelFlags {
  private static final Gson GSON = new Gson();

  @Option(names = "--config", paramLabel = "FILE", description = "model config JSON; flags below override its keys")
  Path config;

  @Option(names = "--family", paramLabel = "NAME", description = "rnn (default) or transformer")
  String family;

  @Option(names = "--tokenizer", paramLabel = "NAME", description = "whitespace (default) or char (one token a character)")
  String tokenizer;

  @Option(names = "--cell", paramLabel = "NAME", description = "rnn: a registered cell: gru (default), lstm, rnn_tanh, rnn_relu, or one that a CellProvider on the class path adds (indrnn, from the custom-cell example)")
  String cell;

  @Option(names = "--attention", paramLabel = "NAME",
      description = "rnn: bahdanau (default), luong_dot, luong_general, luong_concat or none")
  String attention;

  @Option(names = "--embedding", paramLabel = "N", description = "rnn: embedding size (default 64)")
  Integer embedding;

  @Option(names = "--hidden", paramLabel = "N", description = "rnn: hidden size (default 128)")
  Integer hidden;

  @Option(names = "--layers", paramLabel = "N", description = "rnn layers, or transformer encoder and decoder layers each (default 1)")
  Integer layers;

  @Option(names = "--bidirectional", negatable = true, description = "rnn: bidirectional encoder")
  Boolean bidirectional;

  @Option(names = "--d-model", paramLabel = "N", description = "transformer: d_model (default 128)")
  Integer modelSize;

  @Option(names = "--heads", paramLabel = "N", description = "transformer: attention heads, dividing d_model (default 4)")
  Integer heads;

  @Option(names = "--ffn", paramLabel = "N", description = "transformer: feed-forward size (default 4 x d_model)")
  Integer ffn;

  @Option(names = "--dropout", paramLabel = "P", description = "dropout in [0, 1) (default 0; must be 0 for compiled steps on tensorflow)")
  Double dropout;

  @Option(names = "--seed", paramLabel = "N", description = "seed of initial weights, dropout and batch order (default 42)")
  Long seed;

  /** One model flag: its option name, its key in the JSON config, and the value given (null if not given). */
  private record Flag(String option, String key, Object value) {}

  /** Every model flag but {@code --config}, in the order the keys are applied. */
  private List<Flag> flags() {
    return List.of(new Flag("--family", "family", family), new Flag("--tokenizer", "tokenizer", tokenizer),
        new Flag("--cell", "cell", cell), new Flag("--attention", "attention", attention),
        new Flag("--embedding", "embedding", embedding), new Flag("--hidden", "hidden", hidden),
        new Flag("--layers", "layers", layers), new Flag("--bidirectional", "bidirectional", bidirectional),
        new Flag("--d-model", "d_model", modelSize), new Flag("--heads", "heads", heads), new Flag("--ffn", "ffn", ffn),
        new Flag("--dropout", "dropout", dropout), new Flag("--seed", "seed", seed));
  }

  /** The options given on the command line, by name ({@code --config}, {@code --hidden}, ...). */
  List<String> given() {
    List<String> names = new ArrayList<>();
    if (config != null) {
      names.add("--config");
    }
    flags().stream().filter(f -> f.value() != null).forEach(f -> names.add(f.option()));
    return names;
  }

  /** The config file's spec with the flags applied and defaults filled in, checked. */
  ModelSpec spec() throws IOException {
    JsonObject json = new JsonObject();
    if (config != null) {
      json = readConfig(config);
    }
    for (Flag f : flags()) {
      put(json, f.key(), f.value());
    }
    for (String key : new String[] {"embedding", "hidden", "layers", "d_model", "heads", "ffn", "max_length"}) {
      if (json.has(key) && json.get(key).isJsonPrimitive() && json.get(key).getAsJsonPrimitive().isNumber()
          && json.get(key).getAsDouble() < 1) {
        throw new UsageException("model config: %s %s out of range (expected >= 1)", key, json.get(key));
      }
    }
    ModelSpec spec;
    try {
      spec = GSON.fromJson(json, ModelSpec.class);
    } catch (JsonParseException | NumberFormatException e) {
      throw new UsageException("model config%s: %s", config == null ? "" : " " + config, e.getMessage());
    }
    return spec.withDefaults();
  }

  private static JsonObject readConfig(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("--config %s: no such file (expected a JSON object with keys %s)", file, ModelSpec.KEYS);
    }
    JsonElement parsed;
    try {
      parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonParseException e) {
      throw new UsageException("--config %s: not valid JSON: %s", file, e.getMessage());
    }
    if (!parsed.isJsonObject()) {
      throw new UsageException("--config %s: expected a JSON object with keys %s", file, ModelSpec.KEYS);
    }
    for (String key : parsed.getAsJsonObject().keySet()) {
      if (!ModelSpec.KEYS.contains(key)) {
        throw new UsageException("--config %s: unknown key '%s': known keys are %s", file, key, ModelSpec.KEYS);
      }
    }
    return parsed.getAsJsonObject();
  }

  private static void put(JsonObject json, String key, Object value) {
    if (value instanceof String s) {
      json.addProperty(key, s);
    } else if (value instanceof Number n) {
      json.addProperty(key, n);
    } else if (value instanceof Boolean b) {
      json.addProperty(key, b);
    }
  }
}

package dev.seq2seq.examples.bench;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The PyTorch figures {@code seq2seq bench} compares with, at the {@link BenchSizes#STANDARD} sizes:
 * training target tokens per second per configuration, and greedy decoding sentences per second
 * per batch size and configuration. {@link #RECORDED} holds those measured on the AMD machine kind
 * on 2026-11-22; {@link #read} loads others, as {@code pytorch_reference.py --json} writes them
 * after measuring on the machine at hand (the only fair comparison on another CPU).
 *
 * <pre>{"label": "...", "training": {"a": 10800, ...}, "greedy": {"64": {"a": 1550, ...}, "1": {...}}}</pre>
 *
 * @param label where the figures come from
 * @param training target tokens/s by configuration key ({@code a}, {@code b}, {@code c}); may lack some
 * @param greedy sentences/s by batch size (a decimal string, as JSON keys are), then configuration key
 */
public record PyTorchReference(String label, Map<String, Double> training, Map<String, Map<String, Double>> greedy) {
  /** PyTorch 1.13 CPU (OpenBLAS), 2 threads, on the AMD EPYC machine kind, 2026-11-22. */
  public static final PyTorchReference RECORDED = new PyTorchReference("PyTorch 1.13 CPU, 2 threads (2026-11-22)",
      Map.of("a", 10_800.0, "b", 9_050.0, "c", 16_100.0),
      Map.of("64", Map.of("a", 1_550.0, "b", 1_150.0, "c", 330.0), "1", Map.of("a", 275.0, "b", 185.0, "c", 65.0)));

  /**
   * Checks the figures: a label, configuration keys a, b or c, batch sizes of at least 1, every
   * figure finite and positive.
   *
   * @throws IllegalArgumentException naming the first figure or key that does not fit and what was expected
   */
  public PyTorchReference {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("PyTorch reference: a non-empty \"label\" is required (where the figures come from)");
    }
    if (training == null || greedy == null) {
      throw new IllegalArgumentException("PyTorch reference: \"training\" and \"greedy\" are required (use {} for none)");
    }
    training = checked("training", training);
    Map<String, Map<String, Double>> byBatch = new TreeMap<>();
    for (Map.Entry<String, Map<String, Double>> e : greedy.entrySet()) {
      int batch;
      try {
        batch = Integer.parseInt(e.getKey().trim());
      } catch (NumberFormatException ex) {
        batch = 0;
      }
      if (batch < 1 || e.getValue() == null) {
        throw new IllegalArgumentException(String.format(
            "PyTorch reference: greedy batch size '%s' with %s: expected a whole number >= 1 holding figures by config", e.getKey(), e.getValue()));
      }
      byBatch.put(Integer.toString(batch), checked("greedy batch " + batch, e.getValue()));
    }
    greedy = Map.copyOf(byBatch);
  }

  private static Map<String, Double> checked(String what, Map<String, Double> figures) {
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<String, Double> e : figures.entrySet()) {
      String key;
      try {
        key = BenchConfig.named(e.getKey()).key();
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("PyTorch reference: " + what + ": " + ex.getMessage(), ex);
      }
      Double v = e.getValue();
      if (v == null || !Double.isFinite(v) || v <= 0) {
        throw new IllegalArgumentException(String.format(
            "PyTorch reference: %s, config %s: %s is not a positive finite number", what, key, v));
      }
      out.put(key, v);
    }
    return Map.copyOf(out);
  }

  /**
   * Reads figures written as JSON (the format in the class comment).
   *
   * @throws IllegalArgumentException if the file cannot be read, is not that JSON, or holds a figure that does not fit
   */
  public static PyTorchReference read(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("PyTorch reference: cannot read " + file + ": " + e, e);
    }
    Fields fields;
    try {
      fields = new Gson().fromJson(json, Fields.class);
    } catch (JsonParseException | NumberFormatException e) { // Gson reads "fast" as a number and fails so
      throw new IllegalArgumentException("PyTorch reference " + file + ": not the expected JSON "
          + "({\"label\": ..., \"training\": {\"a\": ...}, \"greedy\": {\"64\": {\"a\": ...}}}): " + e.getMessage(), e);
    }
    if (fields == null) {
      throw new IllegalArgumentException("PyTorch reference " + file + ": the file is empty");
    }
    try {
      return new PyTorchReference(fields.label, fields.training, fields.greedy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (in " + file + ")", e);
    }
  }

  /** The JSON as read, checked by the record's constructor. */
  private static final class Fields {
    String label;
    Map<String, Double> training;
    Map<String, Map<String, Double>> greedy;
  }

  /** Training target tokens per second of {@code config}, if given. */
  public OptionalDouble trainingTokensPerSecond(BenchConfig config) {
    Double v = training.get(config.key());
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** Greedy decoding sentences per second of {@code config} at batch size {@code batch}, if given. */
  public OptionalDouble greedySentencesPerSecond(BenchConfig config, int batch) {
    Map<String, Double> byConfig = greedy.get(Integer.toString(batch));
    Double v = byConfig == null ? null : byConfig.get(config.key());
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}

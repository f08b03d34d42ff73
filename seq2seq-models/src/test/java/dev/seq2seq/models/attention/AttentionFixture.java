package dev.seq2seq.models.attention;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A golden reference written by {@code src/test/python/make_attention_fixtures.py}: tensors stored
 * as {@code {"shape": [...], "values": [...]}} under {@code query}, {@code key}, {@code value},
 * {@code mask}, {@code output}, {@code weights} and, by parameter name, under {@code parameters}.
 */
final class AttentionFixture {
  private final String name;
  private final JsonObject json;

  private AttentionFixture(String name, JsonObject json) {
    this.name = name;
    this.json = json;
  }

  /** Loads {@code /fixtures/attention/<name>.json} from the test classpath. */
  static AttentionFixture load(String name) {
    String path = "/fixtures/attention/" + name + ".json";
    try (InputStream in = AttentionFixture.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path + " (run src/test/python/make_attention_fixtures.py)");
      }
      return new AttentionFixture(name, JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  /** An integer from {@code config}. */
  int config(String key) {
    return json.getAsJsonObject("config").get(key).getAsInt();
  }

  /** A top-level tensor ({@code query}, {@code key}, {@code value}, {@code mask}, {@code output}, {@code weights}). */
  Tensor tensor(Backend backend, DType dtype, String key) {
    return toTensor(backend, dtype, json.getAsJsonObject(key));
  }

  /** The shape of a top-level tensor. */
  Shape shape(String key) {
    return shapeOf(json.getAsJsonObject(key));
  }

  /** The row-major values of a top-level tensor. */
  double[] values(String key) {
    return valuesOf(json.getAsJsonObject(key));
  }

  /** Every parameter by name, in file order. */
  Map<String, Tensor> parameters(Backend backend, DType dtype) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("parameters").entrySet()) {
      out.put(e.getKey(), toTensor(backend, dtype, e.getValue().getAsJsonObject()));
    }
    return out;
  }

  private static Tensor toTensor(Backend backend, DType dtype, JsonObject t) {
    return Tensors.of(backend, dtype, valuesOf(t), shapeOf(t));
  }

  private static Shape shapeOf(JsonObject t) {
    JsonArray s = t.getAsJsonArray("shape");
    int[] dims = new int[s.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s.get(i).getAsInt();
    }
    return Shape.of(dims);
  }

  private static double[] valuesOf(JsonObject t) {
    JsonArray v = t.getAsJsonArray("values");
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i).getAsDouble();
    }
    return out;
  }
}

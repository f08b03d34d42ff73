package dev.seq2seq.models.transformer;

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
 * A golden reference written by {@code src/test/python/make_transformer_fixtures.py}: tensors
 * stored as {@code {"shape": [...], "values": [...]}} at the top level (inputs, masks, output) and,
 * by parameter name, under {@code parameters}.
 */
final class TransformerFixture {
  private final String name;
  private final JsonObject json;

  private TransformerFixture(String name, JsonObject json) {
    this.name = name;
    this.json = json;
  }

  /** Loads {@code /fixtures/transformer/<name>.json} from the test classpath. */
  static TransformerFixture load(String name) {
    String path = "/fixtures/transformer/" + name + ".json";
    try (InputStream in = TransformerFixture.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path + " (run src/test/python/make_transformer_fixtures.py)");
      }
      return new TransformerFixture(name, JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  int config(String key) {
    return json.getAsJsonObject("config").get(key).getAsInt();
  }

  boolean flag(String key) {
    return json.getAsJsonObject("config").get(key).getAsBoolean();
  }

  Tensor tensor(Backend backend, DType dtype, String key) {
    return Tensors.of(backend, dtype, values(key), shape(key));
  }

  Shape shape(String key) {
    return shapeOf(json.getAsJsonObject(key));
  }

  double[] values(String key) {
    return valuesOf(json.getAsJsonObject(key));
  }

  /** Every parameter by name, in file order (PyTorch's {@code named_parameters()} order). */
  Map<String, Tensor> parameters(Backend backend, DType dtype) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("parameters").entrySet()) {
      JsonObject t = e.getValue().getAsJsonObject();
      out.put(e.getKey(), Tensors.of(backend, dtype, valuesOf(t), shapeOf(t)));
    }
    return out;
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

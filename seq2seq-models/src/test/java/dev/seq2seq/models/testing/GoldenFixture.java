package dev.seq2seq.models.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
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
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A golden reference written by one of the scripts in {@code src/test/python}
 * ({@code make_<family>_fixtures.py}): JSON with a {@code config}, named {@code parameters} and
 * tensors, each tensor {@code {"shape": [...], "values": [...]}} (row-major).
 */
public final class GoldenFixture {
  private final String name;
  private final JsonObject json;

  private GoldenFixture(String name, JsonObject json) {
    this.name = name;
    this.json = json;
  }

  /** Loads {@code /fixtures/<family>/<name>.json} from the test class path. */
  public static GoldenFixture load(String family, String name) {
    String path = "/fixtures/" + family + "/" + name + ".json";
    try (InputStream in = GoldenFixture.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path + " (run src/test/python/make_" + family + "_fixtures.py)");
      }
      return new GoldenFixture(name, JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture's name. */
  public String name() {
    return name;
  }

  /** A top-level string, e.g. the PyTorch module's name. */
  public String string(String key) {
    return json.get(key).getAsString();
  }

  /** Whether a top-level entry exists. */
  public boolean has(String key) {
    return json.has(key);
  }

  /** An integer from {@code config}. */
  public int config(String key) {
    return json.getAsJsonObject("config").get(key).getAsInt();
  }

  /** A string from {@code config}. */
  public String configString(String key) {
    return json.getAsJsonObject("config").get(key).getAsString();
  }

  /** A boolean from {@code config}. */
  public boolean flag(String key) {
    return json.getAsJsonObject("config").get(key).getAsBoolean();
  }

  /** The top-level tensor {@code key} on {@code backend} in {@code dtype}. */
  public Tensor tensor(Backend backend, DType dtype, String key) {
    return toTensor(backend, dtype, json.getAsJsonObject(key));
  }

  /** The shape of tensor {@code key}. */
  public Shape shape(String key) {
    return shapeOf(json.getAsJsonObject(key));
  }

  /** The values of tensor {@code key}. */
  public double[] values(String key) {
    return valuesOf(json.getAsJsonObject(key));
  }

  /** A top-level integer array, or null if absent (e.g. sequence lengths). */
  public int[] ints(String key) {
    if (!json.has(key)) {
      return null;
    }
    JsonArray a = json.getAsJsonArray(key);
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsInt();
    }
    return out;
  }

  /** Parameter names in the fixture's (PyTorch's) order. */
  public Set<String> parameterNames() {
    return new LinkedHashSet<>(json.getAsJsonObject("parameters").keySet());
  }

  /** Every parameter as a tensor, by name. */
  public Map<String, Tensor> parameters(Backend backend, DType dtype) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("parameters").entrySet()) {
      out.put(e.getKey(), toTensor(backend, dtype, e.getValue().getAsJsonObject()));
    }
    return out;
  }

  /** Sets every parameter of {@code module} from the fixture, by name. */
  public void loadInto(Module module, Backend backend, DType dtype) {
    Map<String, Parameter> params = module.namedParameters();
    parameters(backend, dtype).forEach((n, t) -> {
      Parameter p = params.get(n);
      if (p == null) {
        throw new AssertionError(name + ": module has no parameter '" + n + "'; it has " + params.keySet());
      }
      p.set(t);
    });
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

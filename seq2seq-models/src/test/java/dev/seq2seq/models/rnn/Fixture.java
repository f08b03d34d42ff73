package dev.seq2seq.models.rnn;

import com.google.gson.JsonArray;
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
import java.util.LinkedHashSet;
import java.util.Set;

/** A PyTorch golden reference written by {@code src/test/python/make_rnn_fixtures.py}. */
final class Fixture {
  final String name;
  final JsonObject json;

  private Fixture(String name, JsonObject json) {
    this.name = name;
    this.json = json;
  }

  static Fixture load(String name) {
    String path = "/fixtures/rnn/" + name + ".json";
    try (InputStream in = Fixture.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path + "; run src/test/python/make_rnn_fixtures.py");
      }
      return new Fixture(name, JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonObject config() {
    return json.getAsJsonObject("config");
  }

  int configInt(String key) {
    return config().get(key).getAsInt();
  }

  boolean has(String key) {
    return json.has(key);
  }

  /** A float64 tensor stored under {@code key} (top level or under {@code parameters}). */
  Tensor tensor(Backend backend, String key) {
    return tensor(backend, json.getAsJsonObject(key));
  }

  static Tensor tensor(Backend backend, JsonObject t) {
    JsonArray shape = t.getAsJsonArray("shape");
    int[] dims = new int[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).getAsInt();
    }
    JsonArray values = t.getAsJsonArray("values");
    double[] v = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i).getAsDouble();
    }
    return Tensors.of(backend, DType.FLOAT64, v, Shape.of(dims));
  }

  int[] lengths() {
    if (!json.has("lengths")) {
      return null;
    }
    JsonArray a = json.getAsJsonArray("lengths");
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsInt();
    }
    return out;
  }

  Set<String> parameterNames() {
    return new LinkedHashSet<>(json.getAsJsonObject("parameters").keySet());
  }

  /** Sets every parameter of {@code module} from the fixture, by PyTorch name. */
  void loadInto(Module module, Backend backend) {
    JsonObject params = json.getAsJsonObject("parameters");
    for (String name : params.keySet()) {
      Parameter p = module.namedParameters().get(name);
      if (p == null) {
        throw new AssertionError(this.name + ": module has no parameter '" + name + "'; it has " + module.namedParameters().keySet());
      }
      p.set(tensor(backend, params.getAsJsonObject(name)));
    }
  }
}

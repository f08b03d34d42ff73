package dev.seq2seq.models.checkpoint;

import static dev.seq2seq.models.checkpoint.SafeTensorsBytes.concat;
import static dev.seq2seq.models.checkpoint.SafeTensorsBytes.doubles;
import static dev.seq2seq.models.checkpoint.SafeTensorsBytes.file;
import static dev.seq2seq.models.checkpoint.SafeTensorsBytes.floats;
import static dev.seq2seq.models.checkpoint.SafeTensorsBytes.ints;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.layers.Linear;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors format: hand-built bytes, our writer's bytes, and a file written from PyTorch. */
class SafeTensorsTest {
  @TempDir Path dir;

  @Test
  void readsAHandBuiltFileByOffsetsNotByHeaderOrder() throws IOException {
    // Header order differs from buffer order; 'b' lies first in the buffer. Padded with spaces.
    String header = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[24,40]},"
        + "\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
        + "\"c\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[16,24]},"
        + "\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[40,48]},"
        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[48,48]}}   ";
    byte[] bytes = file(header, concat(doubles(1.5, -0.25), ints(7, -8), floats(1, 2, 3, 4.5f), doubles(Math.PI)));
    Path f = dir.resolve("hand.safetensors");
    Files.write(f, bytes);

    try (SafeTensorsFile st = SafeTensors.open(f)) {
      assertThat(st.names()).containsExactly("a", "b", "c", "e", "s");
      assertThat(st.metadata()).containsExactly(Map.entry("format", "pt"));
      assertThat(st.read("a")).isEqualTo(HostTensor.ofFloats(new float[] {1, 2, 3, 4.5f}, Shape.of(2, 2)));
      assertThat(st.read("b")).isEqualTo(HostTensor.ofDoubles(new double[] {1.5, -0.25}, Shape.of(2)));
      assertThat(st.read("c")).isEqualTo(HostTensor.ofInts(new int[] {7, -8}, Shape.of(2)));
      assertThat(st.read("s")).isEqualTo(HostTensor.ofDoubles(new double[] {Math.PI}, Shape.scalar()));
      assertThat(st.read("e")).isEqualTo(HostTensor.ofFloats(new float[0], Shape.of(0, 5)));
    }
  }

  @Test
  void writerProducesTheSpecifiedBytes() throws IOException {
    Backend ejml = Backends.get("ejml");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("z", Tensors.of(ejml, new float[] {1, -2}, 2));
    tensors.put("a", Tensors.of(ejml, new int[] {3}, 1));
    Path f = dir.resolve("w.safetensors");
    SafeTensors.write(f, tensors, Map.of("k", "v"));

    byte[] bytes = Files.readAllBytes(f);
    long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat((8 + n) % 8).as("buffer starts 8-aligned").isZero();
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertThat(header).isEqualTo(
        "{\"__metadata__\":{\"k\":\"v\"},"
            + "\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"z\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"
            + " ".repeat((int) n - header.strip().length()));
    byte[] data = java.util.Arrays.copyOfRange(bytes, 8 + (int) n, bytes.length);
    assertThat(data).isEqualTo(concat(ints(3), floats(1, -2)));
  }

  @Test
  void roundTripsEveryDTypeBitForBit() throws IOException {
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    tensors.put("f", HostTensor.ofFloats(new float[] {Float.NaN, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, 1e-40f, 3}, Shape.of(2, 3)));
    tensors.put("d", HostTensor.ofDoubles(new double[] {Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -0.0}, Shape.of(3, 1)));
    tensors.put("i", HostTensor.ofInts(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}, Shape.of(1, 2)));
    tensors.put("s", HostTensor.ofFloats(new float[] {7}, Shape.scalar()));
    tensors.put("empty", HostTensor.ofDoubles(new double[0], Shape.of(4, 0)));
    Path f = dir.resolve("all.safetensors");
    SafeTensors.writeHost(f, tensors, Map.of());
    assertThat(SafeTensors.read(f)).containsExactlyInAnyOrderEntriesOf(tensors);
  }

  @Test
  void writesLargeTensorsInChunks() throws IOException {
    // 3 MiB of float64: several passes through the 1 MiB chunk buffer in both directions.
    double[] big = new double[3 * 131072 + 5];
    Rng rng = new Rng(1);
    for (int i = 0; i < big.length; i++) {
      big[i] = rng.nextGaussian();
    }
    HostTensor t = HostTensor.ofDoubles(big, Shape.of(big.length));
    Path f = dir.resolve("big.safetensors");
    SafeTensors.writeHost(f, Map.of("big", t), Map.of());
    assertThat(SafeTensors.read(f).get("big")).isEqualTo(t);
  }

  /** A file written outside Java from PyTorch tensors (see src/test/python/make_safetensors_fixture.py). */
  @Test
  void readsTheFixtureWrittenFromPyTorchAndReproducesItsLinearOutput() throws IOException {
    Path f = dir.resolve("torch_linear.safetensors");
    try (InputStream in = getClass().getResourceAsStream("/fixtures/checkpoint/torch_linear.safetensors")) {
      Files.copy(in, f);
    }
    JsonObject expected;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/checkpoint/torch_linear.json")) {
      expected = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
    Map<String, HostTensor> read;
    try (SafeTensorsFile st = SafeTensors.open(f)) {
      assertThat(st.metadata()).containsEntry("format", "pt");
      read = new LinkedHashMap<>();
      for (String name : st.names()) {
        read.put(name, st.read(name));
      }
    }
    JsonObject tensors = expected.getAsJsonObject("tensors");
    assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
    for (String name : tensors.keySet()) {
      assertThat(read.get(name)).as(name).isEqualTo(host(tensors.getAsJsonObject(name)));
    }

    Backend ejml = Backends.get("ejml");
    Linear linear = new Linear(ejml, DType.FLOAT32, 3, 2, new Rng(0));
    linear.weight().set(read.get("weight").toTensor(ejml));
    linear.bias().set(read.get("bias").toTensor(ejml));
    float[] y = linear.forward(host(expected.getAsJsonObject("x"), "F32").toTensor(ejml)).toFloatArray();
    float[] torchY = host(expected.getAsJsonObject("y"), "F32").floats();
    for (int i = 0; i < y.length; i++) {
      assertThat(y[i]).as("y[%d]", i).isCloseTo(torchY[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  private static HostTensor host(JsonObject o) {
    return host(o, o.get("dtype").getAsString());
  }

  private static HostTensor host(JsonObject o, String dtype) {
    JsonArray s = o.getAsJsonArray("shape");
    int[] dims = new int[s.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s.get(i).getAsInt();
    }
    JsonArray v = o.getAsJsonArray("values");
    double[] d = new double[v.size()];
    for (int i = 0; i < d.length; i++) {
      JsonElement e = v.get(i);
      d[i] = e.getAsJsonPrimitive().isString() ? Double.parseDouble(e.getAsString().replace("inf", "Infinity")) : e.getAsDouble();
    }
    switch (dtype) {
      case "F32": {
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) d[i];
        }
        return HostTensor.ofFloats(f, Shape.of(dims));
      }
      case "F64":
        return HostTensor.ofDoubles(d, Shape.of(dims));
      default: {
        int[] n = new int[d.length];
        for (int i = 0; i < n.length; i++) {
          n[i] = (int) d[i];
        }
        return HostTensor.ofInts(n, Shape.of(dims));
      }
    }
  }
}

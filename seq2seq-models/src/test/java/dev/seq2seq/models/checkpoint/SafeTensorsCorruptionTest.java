package dev.seq2seq.models.checkpoint;

import static dev.seq2seq.models.checkpoint.SafeTensorsBytes.concat;
import static dev.seq2seq.models.checkpoint.SafeTensorsBytes.file;
import static dev.seq2seq.models.checkpoint.SafeTensorsBytes.floats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of damage is rejected with its own message, quickly and without large allocations. */
class SafeTensorsCorruptionTest {
  private static final String W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

  @TempDir Path dir;

  private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes) throws IOException {
    Path f = dir.resolve("bad.safetensors");
    Files.write(f, bytes);
    long start = System.nanoTime();
    Throwable[] thrown = new Throwable[1];
    try {
      SafeTensors.read(f);
    } catch (Throwable t) {
      thrown[0] = t;
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("rejected quickly").isLessThan(Duration.ofSeconds(2));
    return assertThat(thrown[0]).as("rejection of a corrupt file").isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining(f.toString());
  }

  private static byte[] good() {
    return file("{" + W + "}", floats(1, 2));
  }

  @Test
  void aGoodFileIsAccepted() throws IOException {
    Path f = dir.resolve("good.safetensors");
    Files.write(f, good());
    assertThat(SafeTensors.read(f)).containsExactly(Map.entry("w", HostTensor.ofFloats(new float[] {1, 2}, Shape.of(2))));
  }

  @Test
  void truncatedFile() throws IOException {
    byte[] g = good();
    assertRejected(Arrays.copyOf(g, g.length - 3)).hasMessageContaining("tensor 'w'")
        .hasMessageContaining("lie beyond the data buffer of 5 bytes");
    assertRejected(Arrays.copyOf(g, 20)).hasMessageContaining("runs past the end of the file");
    assertRejected(Arrays.copyOf(g, 5)).hasMessageContaining("fewer than the 8-byte header length");
  }

  @Test
  void flippedHeaderBytes() throws IOException {
    byte[] g = good();
    byte[] first = g.clone();
    first[8] ^= 0x20; // '{' -> '['
    assertRejected(first).hasMessageContaining("header must begin with '{'");
    byte[] inner = g.clone();
    inner[8 + 4] = '#'; // garbage where ':' belongs
    assertRejected(inner).hasMessageContaining("header is not valid JSON");
    byte[] utf8 = g.clone();
    utf8[8 + 2] = (byte) 0xff; // not UTF-8 inside the name
    assertRejected(utf8).hasMessageContaining("not valid UTF-8");
    byte[] length = g.clone();
    length[8 - 1] = 0x10; // high byte of the length
    assertRejected(length).hasMessageContaining("exceeds the limit of 100000000 bytes");
  }

  @Test
  void wrongShapeForTheOffsets() throws IOException {
    assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floats(1, 2)))
        .hasMessageContaining("tensor 'w': F32 shape [3] needs 12 bytes but data_offsets [0, 8] span 8 bytes");
  }

  @Test
  void unknownDType() throws IOException {
    assertRejected(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", floats(1, 2)))
        .hasMessageContaining("tensor 'w': unsupported dtype 'F16' (supported: F32, F64, I32)");
  }

  @Test
  void overlappingOffsets() throws IOException {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    assertRejected(file(header, floats(1, 2, 3))).hasMessageContaining("tensors 'a' [0, 8) and 'b' [4, 12) overlap");
  }

  @Test
  void gapBetweenTensors() throws IOException {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    assertRejected(file(header, floats(1, 2, 3))).hasMessageContaining("data buffer bytes [4, 8) belong to no tensor");
  }

  @Test
  void trailingGarbage() throws IOException {
    assertRejected(concat(good(), new byte[] {1, 2, 3}))
        .hasMessageContaining("3 trailing bytes after the last tensor: the data buffer has 11 bytes but tensors cover 8");
  }

  @Test
  void duplicateNames() throws IOException {
    assertRejected(file("{" + W + "," + W + "}", floats(1, 2))).hasMessageContaining("duplicate name 'w'");
  }

  @Test
  void malformedEntries() throws IOException {
    assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", floats(1, 2))).hasMessageContaining("tensor 'w': missing 'data_offsets'");
    assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", floats(1, 2)))
        .hasMessageContaining("negative dimension");
    assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", floats(1, 2)))
        .hasMessageContaining("are not a range");
    assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", floats(1, 2)))
        .hasMessageContaining("unknown field 'x'");
    assertRejected(file("{\"__metadata__\":{\"k\":3}," + W + "}", floats(1, 2))).hasMessageContaining("metadata 'k' must be a string");
    assertRejected(file("{" + W + "} x", floats(1, 2))).hasMessageContaining("header is not valid JSON");
  }

  @Test
  void hugeDeclaredSizesFailFastWithoutAllocating() throws IOException {
    // A header length near 2^64 (negative as a signed long) and one just past the limit.
    assertRejected(file(-8L, "{}", new byte[0])).hasMessageContaining("header length 18446744073709551608 bytes exceeds the limit");
    assertRejected(file(SafeTensors.MAX_HEADER_BYTES + 1, "{}", new byte[0])).hasMessageContaining("exceeds the limit");
    // A header length within the limit but far beyond the file.
    assertRejected(file(50_000_000L, "{}", new byte[0])).hasMessageContaining("runs past the end of the file");
    // A shape whose element count overflows, and one that is representable but claims 16 GiB.
    assertRejected(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],"
        + "\"data_offsets\":[0,8]}}", floats(1, 2))).hasMessageContaining("more than 2^31-1 elements");
    assertRejected(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647],\"data_offsets\":[0,17179869176]}}", floats(1, 2)))
        .hasMessageContaining("tensor 'w': data_offsets [0, 17179869176] lie beyond the data buffer of 8 bytes");
    assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999999]}}", floats(1)))
        .hasMessageContaining("is not an integer");
  }

  @Test
  void manyHostileHeadersNeverRunOutOfMemory() throws IOException {
    // Repeated claims of the largest sizes: a reader that allocated what headers claim would fail here.
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      files.put("f" + i, file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647],\"data_offsets\":[0,8589934588]}}", floats(1)));
    }
    for (byte[] bytes : files.values()) {
      assertRejected(bytes).isNotInstanceOf(OutOfMemoryError.class).hasMessageContaining("beyond the data buffer");
    }
  }
}

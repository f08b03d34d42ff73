package dev.seq2seq.models.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.stream.JsonWriter;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Tensor;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format,
 * the weight format of PyTorch's and Hugging Face's ecosystem.
 *
 * <h2>The format</h2>
 *
 * <pre>
 *   [8 bytes]  N, unsigned 64-bit little-endian: the header length
 *   [N bytes]  the header, UTF-8 JSON beginning with '{', optionally padded with spaces (0x20):
 *              {"__metadata__": {"key": "value", ...},                     (optional, strings only)
 *               "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
 *   [rest]     the data buffer: each tensor's elements, row-major, little-endian, at
 *              [begin, end) relative to the start of the buffer
 * </pre>
 *
 * <p>Supported dtypes are {@code F32}, {@code F64} and {@code I32} (the framework's {@link DType}s);
 * a file with any other dtype (e.g. {@code F16}, {@code BF16}) is rejected naming it. Rank-0
 * (scalar) tensors and tensors with a zero dimension (no bytes) are allowed.
 *
 * <h2>What this writer produces</h2>
 *
 * <p>Tensors are written <b>sorted by name</b> (Java {@link String#compareTo}), in the header and in
 * the buffer alike, so the bytes do not depend on the iteration order of the caller's map; the
 * {@code __metadata__} object, if any, comes first. The header is padded with spaces so the buffer
 * starts at an 8-byte-aligned offset (as the reference writer does). Writing converts one tensor at
 * a time to host memory and streams it through a fixed 1 MiB buffer. The file is forced to the
 * device ({@link FileChannel#force}) before {@link #write} returns.
 *
 * <h2>What the reader checks</h2>
 *
 * <p>{@link #open} validates the whole header against the actual file size <em>before</em>
 * allocating anything a header claims, so a hostile or corrupt file fails fast with a
 * {@link CorruptCheckpointException} and never triggers a huge allocation: the header length must be
 * at most {@value #MAX_HEADER_BYTES} bytes and fit in the file; the header must be a JSON object with
 * no duplicate names, no unknown fields and string-only metadata; every dtype must be supported;
 * every dimension non-negative with at most 2^31-1 elements in all; the span {@code end - begin}
 * must equal {@code elements * dtype size}; every span must lie inside the buffer; and the spans,
 * ordered by offset, must tile the buffer exactly from 0 to its end (no overlap, no gap, no trailing
 * bytes). Reading a tensor then allocates exactly its validated byte size.
 */
public final class SafeTensors {
  /** The largest header accepted, as in the reference implementation: 100,000,000 bytes. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** The key of the optional string-to-string metadata object in the header. */
  public static final String METADATA_KEY = "__metadata__";

  private static final int CHUNK_BYTES = 1 << 20;

  private SafeTensors() {}

  /** The safetensors dtype code of {@code dtype}: {@code F32}, {@code F64} or {@code I32}. */
  public static String code(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return "F32";
      case FLOAT64:
        return "F64";
      case INT32:
        return "I32";
      default:
        throw new AssertionError(dtype);
    }
  }

  /** The dtype of a safetensors code, or null if it is not one of {@code F32}, {@code F64}, {@code I32}. */
  static DType dtypeOf(String code) {
    switch (code) {
      case "F32":
        return DType.FLOAT32;
      case "F64":
        return DType.FLOAT64;
      case "I32":
        return DType.INT32;
      default:
        return null;
    }
  }

  /**
   * Writes {@code tensors} (read back from their backends one at a time) and {@code metadata} to
   * {@code file}, replacing it, and forces it to the device. Not atomic by itself: {@link
   * CheckpointWriter} writes into a temporary directory and renames.
   *
   * @throws IllegalArgumentException if a name is empty or is {@value #METADATA_KEY}
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    writeLazily(file, tensors, HostTensor::of, metadata);
  }

  /** Writes host tensors; see {@link #write(Path, Map, Map)}. */
  public static void writeHost(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata) throws IOException {
    writeLazily(file, tensors, Function.identity(), metadata);
  }

  private static <T> void writeLazily(Path file, Map<String, T> tensors, Function<T, HostTensor> toHost,
      Map<String, String> metadata) throws IOException {
    TreeMap<String, T> sorted = new TreeMap<>(tensors);
    // The header needs every dtype and shape but no data: take them without reading back.
    List<String> names = new ArrayList<>(sorted.keySet());
    List<DType> dtypes = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    for (Map.Entry<String, T> e : sorted.entrySet()) {
      checkArgument(!e.getKey().isEmpty() && !e.getKey().equals(METADATA_KEY), "safetensors: invalid tensor name '%s'", e.getKey());
      T t = e.getValue();
      checkArgument(t != null, "safetensors: tensor '%s' is null", e.getKey());
      if (t instanceof Tensor) {
        dtypes.add(((Tensor) t).dtype());
        shapes.add(((Tensor) t).shape().toArray());
      } else {
        HostTensor h = toHost.apply(t);
        dtypes.add(h.dtype());
        shapes.add(h.shape().toArray());
      }
    }
    byte[] header = header(names, dtypes, shapes, metadata);
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
      prefix.flip();
      writeFully(ch, prefix);
      writeFully(ch, ByteBuffer.wrap(header));
      for (T t : sorted.values()) {
        HostTensor h = toHost.apply(t);
        int per = CHUNK_BYTES / h.dtype().byteSize();
        int n = h.shape().size();
        for (int from = 0; from < n; from += per) {
          int count = Math.min(per, n - from);
          chunk.clear();
          h.encode(from, count, chunk);
          chunk.flip();
          writeFully(ch, chunk);
        }
      }
      ch.force(true);
    }
  }

  /** The header bytes, padded with spaces to a multiple of 8 (so the buffer starts 8-aligned). */
  static byte[] header(List<String> names, List<DType> dtypes, List<int[]> shapes, Map<String, String> metadata) {
    StringWriter out = new StringWriter();
    try (JsonWriter json = new JsonWriter(out)) {
      json.beginObject();
      if (metadata != null && !metadata.isEmpty()) {
        json.name(METADATA_KEY).beginObject();
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
          checkArgument(e.getValue() != null, "safetensors: metadata '%s' is null", e.getKey());
          json.name(e.getKey()).value(e.getValue());
        }
        json.endObject();
      }
      long offset = 0;
      for (int i = 0; i < names.size(); i++) {
        long bytes = (long) dtypes.get(i).byteSize();
        json.name(names.get(i)).beginObject();
        json.name("dtype").value(code(dtypes.get(i)));
        json.name("shape").beginArray();
        for (int d : shapes.get(i)) {
          json.value(d);
          bytes *= d;
        }
        json.endArray();
        json.name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray();
        json.endObject();
        offset += bytes;
      }
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] text = out.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (text.length + 7) / 8 * 8;
    byte[] header = new byte[padded];
    System.arraycopy(text, 0, header, 0, text.length);
    for (int i = text.length; i < padded; i++) {
      header[i] = ' ';
    }
    return header;
  }

  static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  /**
   * Opens {@code file} and validates its header against its size (see the class comment); no
   * tensor data is read yet.
   *
   * @throws CorruptCheckpointException naming the file, the problem, the tensor and expected vs found
   */
  public static SafeTensorsFile open(Path file) throws IOException {
    return SafeTensorsFile.open(file);
  }

  /** Reads every tensor of {@code file} (validated as by {@link #open}) in name order. */
  public static Map<String, HostTensor> read(Path file) throws IOException {
    try (SafeTensorsFile f = open(file)) {
      Map<String, HostTensor> out = new LinkedHashMap<>();
      for (String name : f.names()) {
        out.put(name, f.read(name));
      }
      return out;
    }
  }

  static String describeDTypes() {
    return String.format(Locale.ROOT, "%s, %s, %s", code(DType.FLOAT32), code(DType.FLOAT64), code(DType.INT32));
  }
}

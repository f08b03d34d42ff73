package dev.seq2seq.models.checkpoint;

import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An open safetensors file whose header has been fully validated (see {@link SafeTensors}); tensors
 * are read on demand with positional reads of exactly their validated size.
 */
public final class SafeTensorsFile implements AutoCloseable {
  /** Where one tensor lies: dtype, shape and its span {@code [begin, end)} in the data buffer. */
  public record Entry(String name, DType dtype, Shape shape, long begin, long end) {}

  private static final int CHUNK_BYTES = 1 << 20;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensorsFile(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  static SafeTensorsFile open(Path file) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new CorruptCheckpointException(file, "safetensors file is missing", e);
    }
    try {
      SafeTensorsFile f = parse(file, ch);
      ch = null;
      return f;
    } finally {
      if (ch != null) {
        ch.close();
      }
    }
  }

  private static CorruptCheckpointException corrupt(Path file, String format, Object... args) {
    return new CorruptCheckpointException(file, "safetensors: " + String.format(format, args));
  }

  private static SafeTensorsFile parse(Path file, FileChannel ch) throws IOException {
    long fileSize = ch.size();
    if (fileSize < 8) {
      throw corrupt(file, "file has %d bytes, fewer than the 8-byte header length (truncated?)", fileSize);
    }
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, prefix, 0, file);
    long n = prefix.getLong(0);
    String nText = Long.toUnsignedString(n);
    if (n < 0 || n > SafeTensors.MAX_HEADER_BYTES) {
      throw corrupt(file, "header length %s bytes exceeds the limit of %d bytes (corrupt or hostile file)",
          nText, SafeTensors.MAX_HEADER_BYTES);
    }
    if (n > fileSize - 8) {
      throw corrupt(file, "header length %s bytes runs past the end of the file (%d bytes after the length; truncated?)",
          nText, fileSize - 8);
    }
    if (n < 2) {
      throw corrupt(file, "header length %d is too short for a JSON object", n);
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
    readFully(ch, headerBytes, 8, file);
    byte[] h = headerBytes.array();
    if (h[0] != '{') {
      throw corrupt(file, "header must begin with '{', found byte 0x%02x", h[0] & 0xff);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes.rewind()).toString();
    } catch (CharacterCodingException e) {
      throw corrupt(file, "header is not valid UTF-8");
    }
    long bufferSize = fileSize - 8 - n;
    Map<String, String> metadata = new TreeMap<>();
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (JsonReader json = new JsonReader(new StringReader(text))) {
      json.beginObject();
      Set<String> seen = new HashSet<>();
      while (json.hasNext()) {
        String name = json.nextName();
        if (!seen.add(name)) {
          throw corrupt(file, "duplicate name '%s' in the header", name);
        }
        if (name.equals(SafeTensors.METADATA_KEY)) {
          parseMetadata(file, json, metadata);
        } else {
          entries.put(name, parseEntry(file, json, name));
        }
      }
      json.endObject();
      // Only the padding (spaces; any JSON whitespace is tolerated) may follow the object.
      if (json.peek() != JsonToken.END_DOCUMENT) {
        throw corrupt(file, "header has content after its JSON object (only space padding is allowed)");
      }
    } catch (CorruptCheckpointException e) {
      throw e;
    } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
      throw new CorruptCheckpointException(file, "safetensors: header is not valid JSON of the expected form: " + e.getMessage(), e);
    }
    checkLayout(file, entries, bufferSize);
    Map<String, Entry> sorted = new TreeMap<>(entries);
    return new SafeTensorsFile(file, ch, 8 + n, Collections.unmodifiableMap(new LinkedHashMap<>(sorted)),
        Collections.unmodifiableMap(metadata));
  }

  private static void parseMetadata(Path file, JsonReader json, Map<String, String> out) throws IOException {
    if (json.peek() != JsonToken.BEGIN_OBJECT) {
      throw corrupt(file, "'%s' must be an object of strings, found %s", SafeTensors.METADATA_KEY, json.peek());
    }
    json.beginObject();
    while (json.hasNext()) {
      String key = json.nextName();
      if (json.peek() != JsonToken.STRING) {
        throw corrupt(file, "metadata '%s' must be a string, found %s", key, json.peek());
      }
      if (out.put(key, json.nextString()) != null) {
        throw corrupt(file, "duplicate metadata key '%s'", key);
      }
    }
    json.endObject();
  }

  private static Entry parseEntry(Path file, JsonReader json, String name) throws IOException {
    if (json.peek() != JsonToken.BEGIN_OBJECT) {
      throw corrupt(file, "tensor '%s': entry must be an object {dtype, shape, data_offsets}, found %s", name, json.peek());
    }
    json.beginObject();
    String code = null;
    long[] dims = null;
    long[] offsets = null;
    while (json.hasNext()) {
      String field = json.nextName();
      switch (field) {
        case "dtype":
          if (code != null || json.peek() != JsonToken.STRING) {
            throw corrupt(file, "tensor '%s': 'dtype' must be given once, as a string", name);
          }
          code = json.nextString();
          break;
        case "shape":
          if (dims != null) {
            throw corrupt(file, "tensor '%s': duplicate 'shape'", name);
          }
          dims = longArray(file, json, name, "shape", 64);
          break;
        case "data_offsets":
          if (offsets != null) {
            throw corrupt(file, "tensor '%s': duplicate 'data_offsets'", name);
          }
          offsets = longArray(file, json, name, "data_offsets", 2);
          if (offsets.length != 2) {
            throw corrupt(file, "tensor '%s': 'data_offsets' must be [begin, end], found %d numbers", name, offsets.length);
          }
          break;
        default:
          throw corrupt(file, "tensor '%s': unknown field '%s' (expected dtype, shape, data_offsets)", name, field);
      }
    }
    json.endObject();
    if (code == null || dims == null || offsets == null) {
      throw corrupt(file, "tensor '%s': missing %s", name, code == null ? "'dtype'" : dims == null ? "'shape'" : "'data_offsets'");
    }
    DType dtype = SafeTensors.dtypeOf(code);
    if (dtype == null) {
      throw corrupt(file, "tensor '%s': unsupported dtype '%s' (supported: %s)", name, code, SafeTensors.describeDTypes());
    }
    long elements = 1;
    boolean overflow = false;
    for (long d : dims) {
      if (d < 0) {
        throw corrupt(file, "tensor '%s': shape %s has a negative dimension", name, Arrays.toString(dims));
      }
      if (d > Integer.MAX_VALUE) {
        throw corrupt(file, "tensor '%s': shape %s has a dimension above 2^31-1", name, Arrays.toString(dims));
      }
      if (!overflow) {
        try {
          elements = Math.multiplyExact(elements, d);
        } catch (ArithmeticException e) {
          overflow = true;
        }
      }
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (begin < 0 || end < begin) {
      throw corrupt(file, "tensor '%s': data_offsets [%d, %d] are not a range (need 0 <= begin <= end)", name, begin, end);
    }
    if (overflow || elements > Integer.MAX_VALUE) {
      throw corrupt(file, "tensor '%s': shape %s has more than 2^31-1 elements", name, Arrays.toString(dims));
    }
    long expectedBytes = elements * dtype.byteSize();
    if (end - begin != expectedBytes) {
      throw corrupt(file, "tensor '%s': %s shape %s needs %d bytes but data_offsets [%d, %d] span %d bytes",
          name, code, Arrays.toString(dims), expectedBytes, begin, end, end - begin);
    }
    int[] intDims = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      intDims[i] = (int) dims[i];
    }
    return new Entry(name, dtype, Shape.of(intDims), begin, end);
  }

  private static long[] longArray(Path file, JsonReader json, String name, String field, int maxLength) throws IOException {
    if (json.peek() != JsonToken.BEGIN_ARRAY) {
      throw corrupt(file, "tensor '%s': '%s' must be an array of integers, found %s", name, field, json.peek());
    }
    json.beginArray();
    List<Long> values = new ArrayList<>();
    while (json.hasNext()) {
      if (json.peek() != JsonToken.NUMBER) {
        throw corrupt(file, "tensor '%s': '%s' must hold integers, found %s", name, field, json.peek());
      }
      if (values.size() >= maxLength) {
        throw corrupt(file, "tensor '%s': '%s' has more than %d entries", name, field, maxLength);
      }
      String number = json.nextString();
      try {
        values.add(Long.parseLong(number));
      } catch (NumberFormatException e) {
        throw corrupt(file, "tensor '%s': '%s' entry %s is not an integer in [-2^63, 2^63)", name, field, number);
      }
    }
    json.endArray();
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  /** Spans must lie in the buffer and, ordered by offset, tile it exactly. */
  private static void checkLayout(Path file, Map<String, Entry> entries, long bufferSize) throws CorruptCheckpointException {
    for (Entry e : entries.values()) {
      if (e.end() > bufferSize) {
        throw corrupt(file, "tensor '%s': data_offsets [%d, %d] lie beyond the data buffer of %d bytes (truncated?)",
            e.name(), e.begin(), e.end(), bufferSize);
      }
    }
    List<Entry> byOffset = new ArrayList<>(entries.values());
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end).thenComparing(Entry::name));
    long covered = 0;
    Entry previous = null;
    for (Entry e : byOffset) {
      if (e.begin() < covered) {
        throw corrupt(file, "tensors '%s' [%d, %d) and '%s' [%d, %d) overlap in the data buffer",
            previous.name(), previous.begin(), previous.end(), e.name(), e.begin(), e.end());
      }
      if (e.begin() > covered) {
        throw corrupt(file, "data buffer bytes [%d, %d) belong to no tensor (gap %s '%s')", covered, e.begin(),
            previous == null ? "before" : "between '" + previous.name() + "' and", e.name());
      }
      covered = e.end();
      if (e.end() > e.begin()) {
        previous = e;
      } else if (previous == null) {
        previous = e;
      }
    }
    if (covered != bufferSize) {
      throw corrupt(file, "%d trailing bytes after the last tensor: the data buffer has %d bytes but tensors cover %d",
          bufferSize - covered, bufferSize, covered);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos);
      if (r < 0) {
        throw corrupt(file, "file ended at byte %d while reading (changed while open?)", pos);
      }
      pos += r;
    }
    buf.flip();
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Tensor names, sorted. */
  public List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  /** Every tensor's location, by name (sorted). */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The {@code __metadata__} strings (empty if the file has none). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Reads tensor {@code name}: allocates exactly its validated element array and fills it through
   * a bounded chunk buffer.
   *
   * @throws IllegalArgumentException if there is no such tensor (the message lists the names)
   */
  public HostTensor read(String name) throws IOException {
    Entry e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException(String.format("%s: no tensor '%s'; the file has %s", file, name, entries.keySet()));
    }
    int n = e.shape().size();
    int elementBytes = e.dtype().byteSize();
    float[] floats = e.dtype() == DType.FLOAT32 ? new float[n] : null;
    double[] doubles = e.dtype() == DType.FLOAT64 ? new double[n] : null;
    int[] ints = e.dtype() == DType.INT32 ? new int[n] : null;
    int per = CHUNK_BYTES / elementBytes;
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < n; from += per) {
      int count = Math.min(per, n - from);
      chunk.clear().limit(count * elementBytes);
      readFully(channel, chunk, dataStart + e.begin() + (long) from * elementBytes, file);
      chunk.order(ByteOrder.LITTLE_ENDIAN);
      if (floats != null) {
        chunk.asFloatBuffer().get(floats, from, count);
      } else if (doubles != null) {
        chunk.asDoubleBuffer().get(doubles, from, count);
      } else {
        chunk.asIntBuffer().get(ints, from, count);
      }
    }
    if (floats != null) {
      return HostTensor.ofFloats(floats, e.shape());
    }
    return doubles != null ? HostTensor.ofDoubles(doubles, e.shape()) : HostTensor.ofInts(ints, e.shape());
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

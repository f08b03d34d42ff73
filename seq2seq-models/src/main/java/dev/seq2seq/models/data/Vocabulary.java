package dev.seq2seq.models.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An immutable bijection between tokens and integer ids, with four special tokens at fixed ids:
 *
 * <table>
 *   <caption>Special tokens</caption>
 *   <tr><th>id</th><th>token</th><th>use</th></tr>
 *   <tr><td>0</td><td>{@code <pad>}</td><td>padding (masked out)</td></tr>
 *   <tr><td>1</td><td>{@code <sos>}</td><td>start of sequence, first decoder input</td></tr>
 *   <tr><td>2</td><td>{@code <eos>}</td><td>end of sequence, last decoder target</td></tr>
 *   <tr><td>3</td><td>{@code <unk>}</td><td>any token not in the vocabulary</td></tr>
 * </table>
 *
 * <p>Ordinary tokens follow from id 4, most frequent first; equal counts are ordered by
 * {@link String#compareTo} so the same counts always give the same ids. A {@link Builder} counts
 * tokens and applies a minimum frequency and a maximum size.
 *
 * <p>Saved as UTF-8 JSON, {@code {"format": "seq2seq-vocabulary", "version": 1, "tokens": [...]}}
 * where the token at index {@code i} has id {@code i}; {@link #load} checks the format, duplicates
 * and the specials and names the file and the problem.
 */
public final class Vocabulary {
  /** Id of {@code <pad>}. */
  public static final int PAD = 0;
  /** Id of {@code <sos>}. */
  public static final int SOS = 1;
  /** Id of {@code <eos>}. */
  public static final int EOS = 2;
  /** Id of {@code <unk>}. */
  public static final int UNK = 3;
  /** The padding token. */
  public static final String PAD_TOKEN = "<pad>";
  /** The start-of-sequence token. */
  public static final String SOS_TOKEN = "<sos>";
  /** The end-of-sequence token. */
  public static final String EOS_TOKEN = "<eos>";
  /** The unknown token. */
  public static final String UNK_TOKEN = "<unk>";
  /** The specials in id order. */
  public static final List<String> SPECIALS = List.of(PAD_TOKEN, SOS_TOKEN, EOS_TOKEN, UNK_TOKEN);

  static final String FORMAT = "seq2seq-vocabulary";
  static final int VERSION = 1;

  private final List<String> tokens;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> tokens, Map<String, Integer> ids) {
    this.tokens = tokens;
    this.ids = ids;
  }

  /** A builder that counts tokens. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A vocabulary of the specials followed by {@code tokens} in the given order (ids 4, 5, ...).
   *
   * @throws IllegalArgumentException if a token repeats, is a special, or is null
   */
  public static Vocabulary of(List<String> tokens) {
    List<String> all = new ArrayList<>(SPECIALS.size() + tokens.size());
    all.addAll(SPECIALS);
    for (String t : tokens) {
      checkArgument(t != null, "vocabulary: null token at position %s", all.size() - SPECIALS.size());
      all.add(t);
    }
    String problem = validate(all);
    checkArgument(problem == null, "vocabulary: %s", problem);
    return create(all);
  }

  private static Vocabulary create(List<String> all) {
    Map<String, Integer> ids = new HashMap<>(all.size() * 2);
    for (int i = 0; i < all.size(); i++) {
      ids.put(all.get(i), i);
    }
    return new Vocabulary(List.copyOf(all), Collections.unmodifiableMap(ids));
  }

  /** Null if {@code all} is a valid id-ordered token list, else the problem. */
  private static String validate(List<String> all) {
    for (int i = 0; i < SPECIALS.size(); i++) {
      String special = SPECIALS.get(i);
      int at = all.indexOf(special);
      if (at < 0) {
        return String.format("missing special token %s (expected at id %d)", special, i);
      }
      if (at != i) {
        return String.format("special token %s has id %d, expected id %d", special, at, i);
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      Integer before = seen.putIfAbsent(all.get(i), i);
      if (before != null) {
        return String.format("duplicate token '%s' at ids %d and %d", all.get(i), before, i);
      }
    }
    return null;
  }

  /** Number of tokens including the four specials. */
  public int size() {
    return tokens.size();
  }

  /** All tokens in id order (index = id), unmodifiable. */
  public List<String> tokens() {
    return tokens;
  }

  /** Whether {@code token} has its own id (the specials do). */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** The id of {@code token}, or {@link #UNK} if it is not in the vocabulary. */
  public int id(String token) {
    Integer id = ids.get(token);
    return id == null ? UNK : id;
  }

  /**
   * The token with id {@code id}.
   *
   * @throws IllegalArgumentException naming the id and the valid range if it is out of range
   */
  public String token(int id) {
    checkArgument(id >= 0 && id < tokens.size(), "vocabulary: id %s is outside [0, %s)", id, tokens.size());
    return tokens.get(id);
  }

  /** Ids of {@code tokens}; unknown tokens map to {@link #UNK}. No {@code <sos>}/{@code <eos>} is added. */
  public int[] encode(List<String> tokens) {
    int[] out = new int[tokens.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(tokens.get(i));
    }
    return out;
  }

  /** Every id's token, verbatim (specials included). Equivalent to {@code decode(ids, false)}. */
  public List<String> decode(int[] ids) {
    return decode(ids, false);
  }

  /**
   * Tokens of {@code ids}. With {@code stopAtEos} it reads a model output: it stops before the
   * first {@code <eos>} and leaves out {@code <pad>} and {@code <sos>}; without, every id is mapped
   * verbatim, specials included.
   *
   * @throws IllegalArgumentException if an id is out of range
   */
  public List<String> decode(int[] ids, boolean stopAtEos) {
    List<String> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      if (stopAtEos) {
        if (id == EOS) {
          break;
        }
        if (id == PAD || id == SOS) {
          continue;
        }
      }
      out.add(token(id));
    }
    return out;
  }

  /** The JSON text that {@link #save} writes. */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("version", VERSION);
    JsonArray arr = new JsonArray(tokens.size());
    tokens.forEach(arr::add);
    o.add("tokens", arr);
    Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    return gson.toJson(o) + "\n";
  }

  /**
   * Writes this vocabulary to {@code file} as UTF-8 JSON, atomically: a temporary file in the same
   * directory is written and then renamed over {@code file}, so a crash never leaves half a file.
   */
  public void save(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a vocabulary written by {@link #save}.
   *
   * @throws MalformedDataException naming {@code file} and the problem: malformed UTF-8 or JSON,
   *     wrong format or version, a token that is not a string, a duplicate token, a missing special
   *     or a special at the wrong id
   */
  public static Vocabulary load(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedDataException(file.toString(), -1, "not valid UTF-8 (" + e + ")", e);
    }
    return fromJson(text, file.toString());
  }

  /**
   * Parses the JSON of {@link #toJson}; {@code sourceName} (e.g. a file or checkpoint entry) is
   * named in errors.
   */
  public static Vocabulary fromJson(String json, String sourceName) throws MalformedDataException {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new MalformedDataException(sourceName, -1, "not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isJsonObject()) {
      throw new MalformedDataException(sourceName, "expected a JSON object with \"format\": \"" + FORMAT
          + "\", \"version\" and \"tokens\", found " + kind(root));
    }
    JsonObject o = root.getAsJsonObject();
    JsonElement format = o.get("format");
    if (format == null || !isString(format) || !FORMAT.equals(format.getAsString())) {
      throw new MalformedDataException(sourceName, "\"format\" must be \"" + FORMAT + "\", found " + format);
    }
    JsonElement version = o.get("version");
    if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()
        || version.getAsDouble() != VERSION) {
      throw new MalformedDataException(sourceName, "unsupported \"version\" " + version + ", expected " + VERSION);
    }
    JsonElement tokensElement = o.get("tokens");
    if (tokensElement == null || !tokensElement.isJsonArray()) {
      throw new MalformedDataException(sourceName, "\"tokens\" must be an array of strings, found "
          + (tokensElement == null ? "nothing" : kind(tokensElement)));
    }
    JsonArray arr = tokensElement.getAsJsonArray();
    List<String> all = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonElement e = arr.get(i);
      if (!isString(e)) {
        throw new MalformedDataException(sourceName, "token at id " + i + " is not a string: " + e);
      }
      all.add(e.getAsString());
    }
    String problem = validate(all);
    if (problem != null) {
      throw new MalformedDataException(sourceName, problem);
    }
    return create(all);
  }

  private static boolean isString(JsonElement e) {
    return e.isJsonPrimitive() && ((JsonPrimitive) e).isString();
  }

  private static String kind(JsonElement e) {
    if (e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    return "the value " + e;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary && ((Vocabulary) o).tokens.equals(tokens);
  }

  @Override
  public int hashCode() {
    return tokens.hashCode();
  }

  @Override
  public String toString() {
    return "Vocabulary(" + tokens.size() + " tokens: "
        + String.join(" ", tokens.subList(0, Math.min(12, tokens.size()))) + (tokens.size() > 12 ? " ...)" : ")");
  }

  /**
   * Counts tokens, then {@link #build()}s a vocabulary of the specials and the tokens seen at least
   * {@link #optMinFrequency min frequency} times, most frequent first (ties by
   * {@link String#compareTo}), cut to {@link #optMaxSize max size}. Occurrences of the special
   * token strings are not counted (they already have ids).
   */
  public static final class Builder {
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private int minFrequency = 1;
    private int maxSize = Integer.MAX_VALUE;

    private Builder() {}

    /** Counts one occurrence of {@code token}. */
    public Builder add(String token) {
      return addCount(token, 1);
    }

    /** Counts {@code count} occurrences of {@code token}. */
    public Builder addCount(String token, long count) {
      checkNotNull(token, "vocabulary: null token");
      checkArgument(count >= 0, "vocabulary: negative count %s for '%s'", count, token);
      if (!SPECIALS.contains(token)) {
        counts.merge(token, count, Long::sum);
      }
      return this;
    }

    /** Counts every token of {@code tokens}. */
    public Builder addAll(Iterable<String> tokens) {
      for (String t : tokens) {
        add(t);
      }
      return this;
    }

    /** Counts the tokens {@code tokenize} gives for each item, e.g. {@code p -> tok.tokenize(p.source())}. */
    public <T> Builder addAll(Iterable<T> items, Function<? super T, ? extends Iterable<String>> tokenize) {
      for (T item : items) {
        addAll(tokenize.apply(item));
      }
      return this;
    }

    /** Keeps only tokens counted at least {@code minFrequency} times (default 1). */
    public Builder optMinFrequency(int minFrequency) {
      checkArgument(minFrequency >= 1, "vocabulary: min frequency must be >= 1, got %s", minFrequency);
      this.minFrequency = minFrequency;
      return this;
    }

    /** Caps the total size, the 4 specials included (default unbounded); must be at least 4. */
    public Builder optMaxSize(int maxSize) {
      checkArgument(maxSize >= SPECIALS.size(), "vocabulary: max size %s must leave room for the %s specials",
          maxSize, SPECIALS.size());
      this.maxSize = maxSize;
      return this;
    }

    /** The vocabulary. */
    public Vocabulary build() {
      List<Map.Entry<String, Long>> kept = new ArrayList<>();
      for (Map.Entry<String, Long> e : counts.entrySet()) {
        if (e.getValue() >= minFrequency) {
          kept.add(e);
        }
      }
      kept.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
          .thenComparing(Map.Entry::getKey));
      List<String> all = new ArrayList<>(SPECIALS);
      for (Map.Entry<String, Long> e : kept) {
        if (all.size() >= maxSize) {
          break;
        }
        all.add(e.getKey());
      }
      return create(all);
    }
  }
}

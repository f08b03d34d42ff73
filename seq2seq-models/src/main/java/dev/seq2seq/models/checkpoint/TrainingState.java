package dev.seq2seq.models.checkpoint;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.random.Rng;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where training stands, stored as {@code training_state.json}: the global step, the epoch, the
 * states of the random streams (as {@link Rng#state()} longs) and any extra JSON the trainer wants
 * back (e.g. the best validation loss, the learning-rate schedule's position).
 *
 * <pre>{@code
 * {"step": 1200, "epoch": 3,
 *  "rng": {"data": -7046029254386353131, "model.decoder.dropout": 42},
 *  "extra": {"best_loss": 2.31}}
 * }</pre>
 *
 * <p>RNG states are JSON integers written and read exactly as 64-bit signed longs (Gson reads them
 * without going through double). {@link #withModuleRandoms(Module)} and {@link
 * #restoreModuleRandoms(Module)} save and restore a module's registered streams under the key
 * prefix {@value #MODULE_PREFIX}.
 */
public final class TrainingState {
  /** Prefix of the RNG keys holding a module's {@link Module#namedRandoms()} states. */
  public static final String MODULE_PREFIX = "module.";

  private final long step;
  private final long epoch;
  private final Map<String, Long> rngStates;
  private final JsonObject extra;

  /**
   * A state at {@code step} in {@code epoch} with the given RNG states (copied) and extra JSON
   * (deep-copied; null for none).
   */
  public TrainingState(long step, long epoch, Map<String, Long> rngStates, JsonObject extra) {
    checkArgument(step >= 0 && epoch >= 0, "training state: step %s and epoch %s must be >= 0", step, epoch);
    rngStates.forEach((k, v) -> checkArgument(k != null && !k.isEmpty() && v != null, "training state: invalid rng entry %s=%s", k, v));
    this.step = step;
    this.epoch = epoch;
    this.rngStates = Collections.unmodifiableMap(new TreeMap<>(rngStates));
    this.extra = extra == null ? new JsonObject() : extra.deepCopy();
  }

  /** A state at {@code step} in {@code epoch} with no RNG states and no extra JSON. */
  public static TrainingState of(long step, long epoch) {
    return new TrainingState(step, epoch, Map.of(), null);
  }

  /** This state plus the RNG state {@code name -> rng.state()}. */
  public TrainingState withRng(String name, Rng rng) {
    Map<String, Long> m = new TreeMap<>(rngStates);
    m.put(name, rng.state());
    return new TrainingState(step, epoch, m, extra);
  }

  /** This state plus every random stream of {@code module}, under {@value #MODULE_PREFIX}{@code <dotted name>}. */
  public TrainingState withModuleRandoms(Module module) {
    Map<String, Long> m = new TreeMap<>(rngStates);
    module.namedRandoms().forEach((name, rng) -> m.put(MODULE_PREFIX + name, rng.state()));
    return new TrainingState(step, epoch, m, extra);
  }

  /** This state with {@code extra} (deep-copied) as its extra JSON. */
  public TrainingState withExtra(JsonObject extra) {
    return new TrainingState(step, epoch, rngStates, extra);
  }

  /**
   * Sets every random stream of {@code module} to its state saved by {@link #withModuleRandoms}.
   *
   * @throws IllegalArgumentException listing the module's streams that have no saved state and
   *     the saved module states that match no stream (nothing is changed then)
   */
  public void restoreModuleRandoms(Module module) {
    Map<String, Rng> streams = module.namedRandoms();
    TreeMap<String, Long> saved = new TreeMap<>();
    rngStates.forEach((k, v) -> {
      if (k.startsWith(MODULE_PREFIX)) {
        saved.put(k.substring(MODULE_PREFIX.length()), v);
      }
    });
    java.util.List<String> missing = new java.util.ArrayList<>();
    streams.keySet().forEach(k -> {
      if (!saved.containsKey(k)) {
        missing.add(k);
      }
    });
    java.util.List<String> unexpected = new java.util.ArrayList<>();
    saved.keySet().forEach(k -> {
      if (!streams.containsKey(k)) {
        unexpected.add(k);
      }
    });
    checkArgument(missing.isEmpty() && unexpected.isEmpty(),
        "training state: module random streams do not match: missing from the checkpoint %s, unexpected in the checkpoint %s",
        missing, unexpected);
    streams.forEach((k, rng) -> rng.setState(saved.get(k)));
  }

  /** The global step (optimizer updates done). */
  public long step() {
    return step;
  }

  /** The epoch. */
  public long epoch() {
    return epoch;
  }

  /** RNG states by name (sorted, unmodifiable). */
  public Map<String, Long> rngStates() {
    return rngStates;
  }

  /**
   * The saved state of RNG {@code name}, to continue with {@link Rng#restore(long)}.
   *
   * @throws IllegalArgumentException listing the saved names if there is none
   */
  public long rngState(String name) {
    Long s = rngStates.get(name);
    checkArgument(s != null, "training state: no rng state '%s'; saved: %s", name, rngStates.keySet());
    return s;
  }

  /** A copy of the extra JSON (an empty object if none). */
  public JsonObject extra() {
    return extra.deepCopy();
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("step", step);
    o.addProperty("epoch", epoch);
    JsonObject rng = new JsonObject();
    rngStates.forEach(rng::addProperty);
    o.add("rng", rng);
    o.add("extra", extra.deepCopy());
    return o;
  }

  static TrainingState fromJson(Path file, JsonElement json) throws CorruptCheckpointException {
    if (!json.isJsonObject()) {
      throw new CorruptCheckpointException(file, "training state must be a JSON object");
    }
    JsonObject o = json.getAsJsonObject();
    for (String key : o.keySet()) {
      if (!key.equals("step") && !key.equals("epoch") && !key.equals("rng") && !key.equals("extra")) {
        throw new CorruptCheckpointException(file, "training state: unknown field '" + key + "' (expected step, epoch, rng, extra)");
      }
    }
    long step = integer(file, o.get("step"), "step");
    long epoch = integer(file, o.get("epoch"), "epoch");
    Map<String, Long> rng = new TreeMap<>();
    JsonElement r = o.get("rng");
    if (r != null) {
      if (!r.isJsonObject()) {
        throw new CorruptCheckpointException(file, "training state: 'rng' must be an object of integers");
      }
      for (Map.Entry<String, JsonElement> e : r.getAsJsonObject().entrySet()) {
        rng.put(e.getKey(), integer(file, e.getValue(), "rng." + e.getKey()));
      }
    }
    JsonElement x = o.get("extra");
    if (x != null && !x.isJsonObject()) {
      throw new CorruptCheckpointException(file, "training state: 'extra' must be an object");
    }
    if (step < 0 || epoch < 0) {
      throw new CorruptCheckpointException(file, "training state: step " + step + " and epoch " + epoch + " must be >= 0");
    }
    return new TrainingState(step, epoch, rng, x == null ? null : x.getAsJsonObject());
  }

  private static long integer(Path file, JsonElement e, String what) throws CorruptCheckpointException {
    if (e == null || !e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
      throw new CorruptCheckpointException(file, "training state: '" + what + "' must be an integer, found " + e);
    }
    try {
      return new java.math.BigDecimal(e.getAsString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException ex) {
      throw new CorruptCheckpointException(file, "training state: '" + what + "' must be a 64-bit integer, found " + e);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TrainingState)) {
      return false;
    }
    TrainingState t = (TrainingState) o;
    return step == t.step && epoch == t.epoch && rngStates.equals(t.rngStates) && extra.equals(t.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(step, epoch, rngStates, extra);
  }

  @Override
  public String toString() {
    return "TrainingState(step=" + step + ", epoch=" + epoch + ", rng=" + rngStates + ", extra=" + extra + ")";
  }
}

package dev.seq2seq.api.module;

import static com.google.common.base.Preconditions.checkArgument;

import dev.seq2seq.api.random.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A building block of a model that owns parameters and child modules under stable names.
 *
 * <p>Names compose with dots in registration order: a module registered as {@code encoder} whose
 * child {@code layers.0} owns {@code weight_ih} exposes {@code encoder.layers.0.weight_ih}. These
 * names are the keys of checkpoints, so they follow PyTorch's where a PyTorch counterpart exists.
 * Subclasses register everything in their constructor.
 */
public abstract class Module {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private final Map<String, Rng> randoms = new LinkedHashMap<>();
  private boolean training = true;

  /** Registers a parameter under {@code name} (no dots) and returns it. */
  protected final Parameter registerParameter(String name, Parameter parameter) {
    checkName(name);
    checkArgument(!name.contains("."), "module: parameter name '%s' must not contain dots", name);
    parameters.put(name, parameter);
    return parameter;
  }

  /** Registers a child module under {@code name} (dots allowed, e.g. {@code layers.0}) and returns it. */
  protected final <M extends Module> M registerModule(String name, M child) {
    checkName(name);
    children.put(name, child);
    return child;
  }

  /**
   * Registers a random stream this module draws from while training (e.g. dropout masks) under
   * {@code name} (no dots), so checkpoints can save and restore its state.
   */
  protected final Rng registerRandom(String name, Rng rng) {
    checkArgument(NAME.matcher(name).matches() && !name.contains("."), "module: invalid random-stream name '%s'", name);
    checkArgument(!randoms.containsKey(name), "module: random stream '%s' is already registered", name);
    randoms.put(name, rng);
    return rng;
  }

  /** Every registered random stream of this module and its descendants by dotted name. */
  public final Map<String, Rng> namedRandoms() {
    Map<String, Rng> out = new LinkedHashMap<>();
    collectRandoms("", out);
    return Collections.unmodifiableMap(out);
  }

  private void collectRandoms(String prefix, Map<String, Rng> out) {
    randoms.forEach((name, r) -> out.put(prefix + name, r));
    children.forEach((name, child) -> child.collectRandoms(prefix + name + ".", out));
  }

  private void checkName(String name) {
    checkArgument(NAME.matcher(name).matches(), "module: invalid name '%s' (letters, digits, '_' and inner dots)", name);
    checkArgument(!parameters.containsKey(name) && !children.containsKey(name), "module: name '%s' is already registered", name);
  }

  /** Every parameter of this module and its descendants by dotted name, in registration order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return Collections.unmodifiableMap(out);
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    parameters.forEach((name, p) -> out.put(prefix + name, p));
    children.forEach((name, child) -> child.collect(prefix + name + ".", out));
  }

  /** Every parameter, in the order of {@link #namedParameters()}. */
  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Total number of trainable scalars. */
  public final long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.shape().size();
    }
    return n;
  }

  /** Switches training behaviour (e.g. dropout) on or off for this module and its descendants. */
  public final void setTraining(boolean training) {
    this.training = training;
    children.values().forEach(c -> c.setTraining(training));
  }

  /** Whether this module is in training mode. */
  public final boolean isTraining() {
    return training;
  }
}

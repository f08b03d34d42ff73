package dev.seq2seq.api.random;

/**
 * A small, fast, explicitly seeded random generator whose stream is fixed by this class alone.
 *
 * <p>It is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014): {@code state += 0x9E3779B97F4A7C15}, then the output is the state passed through
 * the MurmurHash3-style finalizer. Because the stream is defined here and not by a JDK or a backend,
 * the same seed gives the same weights and dropout masks on every backend, JDK and machine.
 * Not thread-safe; {@link #fork(long)} derives independent generators for parallel use.
 */
public final class Rng {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  /** A generator seeded with {@code seed}. */
  public Rng(long seed) {
    this.state = seed;
  }

  /** The next 64 random bits. */
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in {@code [0, 1)} with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in {@code [0, bound)}. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
    }
    return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
  }

  /**
   * Standard normal by the Box-Muller transform. Each call consumes two uniforms and uses one of
   * the pair, so that {@link #state()} alone captures the stream.
   */
  public double nextGaussian() {
    double u1;
    do {
      u1 = nextDouble();
    } while (u1 == 0.0);
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** An independent generator derived from this one's seed stream and {@code key}; does not advance this one. */
  public Rng fork(long key) {
    return new Rng(mix(state ^ mix(key + GOLDEN_GAMMA)));
  }

  /** The state, to checkpoint and later {@link #restore} the stream exactly. */
  public long state() {
    return state;
  }

  /** Continues this generator from a saved {@link #state()} (e.g. when resuming from a checkpoint). */
  public void setState(long state) {
    this.state = state;
  }

  /** A generator continuing from a saved {@link #state()}. */
  public static Rng restore(long state) {
    return new Rng(state);
  }
}

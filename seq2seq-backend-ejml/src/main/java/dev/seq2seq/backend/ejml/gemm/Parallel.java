package dev.seq2seq.backend.ejml.gemm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Work split over the {@link GemmPool} threads: the GEMM's shares, and the backend's large
 * elementwise and row-wise kernels ({@link #forRange}), which otherwise leave the second core idle
 * for about a third of a training step.
 *
 * <p>A split loop computes every index exactly as the whole loop would (each index, or each row,
 * belongs to one range and sees the same operations), so results do not depend on the split; the
 * ranges are fixed by the sizes alone, not by which thread is free.
 *
 * <p>{@link #forRange} and {@link #forChunks} cut the work into a few chunks per thread, which the
 * caller and the idle workers claim one at a time, so whoever is free takes the next one. On this
 * machine kind (virtual processors the host now and then stops for a while) fixed halves left the
 * caller waiting for a late worker: a training step of the LSTM benchmark spent ~20 ms of ~210 in
 * such waits on the row-wise kernels, mean 32 us a call, and 7 us with claimed chunks.
 */
public final class Parallel {
  /**
   * Fewest indices per split loop: a loop with less than twice this work (32k elements of a float32
   * kernel take ~10-40 us) runs on the caller alone, against the ~1 us of handing work to a spinning
   * worker (and tens when it has parked; see {@link GemmPool}).
   */
  public static final int GRAIN = 1 << 15;

  /** Fewest indices per chunk of a split loop ({@code GRAIN / 4}): a claim costs well under a microsecond. */
  static final int CHUNK_GRAIN = GRAIN / 4;

  /** Most chunks per thread of a split loop. */
  static final int CHUNKS_PER_THREAD = 4;

  /** The system property with the microseconds a caller spins for its chunks before parking. */
  static final String SPIN_PROPERTY = "seq2seq.ejml.parallel.spinMicros";

  /** How long a caller spins for the other threads' chunks before it parks: 200 us unless {@value #SPIN_PROPERTY} says otherwise. */
  static final long SPIN_NANOS = GemmPool.spinNanos(SPIN_PROPERTY, System.getProperty(SPIN_PROPERTY), 200_000);

  private Parallel() {}

  /** A loop body over indices {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, count)} in contiguous ranges when {@code count * cost} reaches
   * twice {@link #GRAIN}, else in one call here: at most {@link #CHUNKS_PER_THREAD} ranges per
   * thread, each of at least {@link #CHUNK_GRAIN} cost, claimed by whoever is free
   * ({@link #forChunks}). {@code cost} is the work of one index in elements (a row's length for a
   * loop over rows).
   */
  public static void forRange(int count, int cost, Range body) {
    long work = (long) count * Math.max(1, cost);
    if (GemmPool.SIZE == 1 || count < 2 || work < 2L * GRAIN) {
      body.run(0, count);
      return;
    }
    int chunks = (int) Math.min(count, Math.min((long) CHUNKS_PER_THREAD * GemmPool.SIZE, work / CHUNK_GRAIN));
    forChunks(GemmPool.SIZE, chunks, c -> body.run((int) ((long) count * c / chunks), (int) ((long) count * (c + 1) / chunks)));
  }

  /**
   * Runs {@code chunk.accept(c)} for every {@code c < chunks}, each exactly once, on this thread and
   * on up to {@code threads - 1} workers that are idle: every thread claims the next unclaimed chunk
   * until none is left, so a worker that starts late (or is stopped) takes fewer. Returns when every
   * chunk is done, whatever failed (chunks write into shared arrays); then rethrows the first
   * failure, after which unstarted chunks are skipped. A worker that gets to this work after it is
   * all claimed does nothing.
   */
  public static void forChunks(int threads, int chunks, IntConsumer chunk) {
    int helpers = Math.min(Math.min(threads, GemmPool.SIZE), chunks) - 1;
    if (helpers <= 0) {
      for (int c = 0; c < chunks; c++) {
        chunk.accept(c);
      }
      return;
    }
    Claims claims = new Claims(chunks, chunk);
    for (int s = 0; s < helpers; s++) {
      if (!GemmPool.offer(claims)) {
        break; // every worker is busy (another thread's work): fewer hands
      }
    }
    claims.run();
    claims.awaitAll();
  }

  /** The chunks of one {@link #forChunks} call and who has claimed and finished them. */
  private static final class Claims implements Runnable {
    private final int chunks;
    private final IntConsumer chunk;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread waiter;

    Claims(int chunks, IntConsumer chunk) {
      this.chunks = chunks;
      this.chunk = chunk;
    }

    /** Claims and runs chunks until none is left. */
    @Override
    public void run() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            chunk.accept(c);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          if (finished.incrementAndGet() == chunks) {
            Thread w = waiter;
            if (w != null) {
              LockSupport.unpark(w);
            }
          }
        }
      }
    }

    /**
     * Waits until every chunk is finished, then rethrows the first failure: spinning for
     * {@link #SPIN_NANOS}, then parked until the last chunk's thread unparks it. A longer wait means
     * the thread running the last chunk was descheduled (another thread took its processor); a
     * parked caller leaves its own processor idle, so the scheduler can move that thread there,
     * where a spinning or yielding caller kept it waiting for the other thread's whole time slice.
     */
    void awaitAll() {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      while (finished.get() < chunks && System.nanoTime() < spinUntil) {
        Thread.onSpinWait();
      }
      if (finished.get() < chunks) {
        waiter = Thread.currentThread();
        while (finished.get() < chunks) { // re-checked after waiter is set: the last chunk's thread reads waiter after its count
          LockSupport.park(this);
        }
        waiter = null;
      }
      Throwable t = failure.get();
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      if (t instanceof Error) {
        throw (Error) t;
      }
      if (t != null) {
        throw new IllegalStateException(t);
      }
    }
  }
}

package dev.seq2seq.backend.ejml.gemm;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The process-wide GEMM worker threads: {@code SIZE - 1} daemon threads, created once on first use
 * (never per call). The calling thread runs one share of every product itself, so a product on
 * {@code t} threads hands {@code t - 1} shares to workers.
 *
 * <p>A worker that finishes a share spins for {@link #SPIN_NANOS} (1 ms by default) waiting for
 * the next one before it parks, and the caller spins for its shares to finish (200 us, then it
 * parks: {@link Parallel}): an RNN step issues a product every few hundred microseconds, and
 * waking a parked thread costs tens of microseconds on this kind of machine — with a parked pool,
 * products of 64 rows ran no faster on two threads than on one. (OpenMP runtimes, which BLAS
 * libraries use, spin the same way.) A share offered while every worker is busy
 * (another thread's product) is not queued: {@link #offer} returns false and the caller runs
 * it itself.
 */
final class GemmPool {
  /** Available processors when the pool was created: the most threads one product uses. */
  static final int SIZE = Math.max(1, Runtime.getRuntime().availableProcessors());

  /** The system property with the microseconds an idle worker spins before parking (0: park at once). */
  static final String SPIN_PROPERTY = "seq2seq.ejml.gemm.spinMicros";

  /** How long an idle worker spins for its next share before parking: 1 ms unless {@value #SPIN_PROPERTY} says otherwise. */
  static final long SPIN_NANOS = spinNanos(System.getProperty(SPIN_PROPERTY));

  private GemmPool() {}

  static long spinNanos(String micros) {
    return spinNanos(SPIN_PROPERTY, micros, 1_000_000);
  }

  /**
   * Nanoseconds from a property value in microseconds ({@code property}'s, for the error), or
   * {@code defaultNanos} when it is unset.
   */
  static long spinNanos(String property, String micros, long defaultNanos) {
    if (micros == null) {
      return defaultNanos;
    }
    try {
      long us = Long.parseLong(micros.trim());
      if (us >= 0) {
        return us * 1000;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("ejml: system property " + property + "=" + micros + " is not a number of microseconds (0 or more)");
  }

  /**
   * Hands {@code work} to an idle worker and returns true, or returns false when none is idle. The
   * work reports its own completion and failures ({@link Parallel#forChunks}); anything it throws
   * goes to the worker's uncaught-exception handler, and the worker carries on.
   */
  static boolean offer(Runnable work) {
    for (Worker w : Holder.WORKERS) {
      if (w.offer(work)) {
        return true;
      }
    }
    return false;
  }

  private static final class Holder {
    static final Worker[] WORKERS = startWorkers();

    private static Worker[] startWorkers() {
      Worker[] workers = new Worker[SIZE - 1];
      for (int i = 0; i < workers.length; i++) {
        workers[i] = new Worker("seq2seq-gemm-" + (i + 1));
        workers[i].start();
      }
      return workers;
    }
  }

  private static final class Worker extends Thread {
    private final AtomicReference<Runnable> slot = new AtomicReference<>();
    private volatile boolean parked;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    boolean offer(Runnable work) {
      if (!slot.compareAndSet(null, work)) {
        return false;
      }
      if (parked) { // read after the slot was written; the worker writes parked before it reads the slot
        LockSupport.unpark(this);
      }
      return true;
    }

    @Override
    public void run() {
      long idleSince = System.nanoTime();
      while (true) {
        Runnable work = slot.get();
        if (work != null) {
          try {
            work.run();
          } catch (Throwable t) {
            getUncaughtExceptionHandler().uncaughtException(this, t);
          }
          slot.set(null);
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          parked = true;
          if (slot.get() == null) {
            LockSupport.park(this);
          }
          parked = false;
          idleSince = System.nanoTime();
        }
      }
    }
  }
}

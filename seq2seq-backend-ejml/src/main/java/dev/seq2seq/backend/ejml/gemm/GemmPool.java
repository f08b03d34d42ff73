package dev.seq2seq.backend.ejml.gemm;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The process-wide GEMM worker threads: {@code SIZE - 1} daemon threads, created once on first use
 * (never per call). The calling thread runs one share of every product itself, so a product on
 * {@code t} threads hands {@code t - 1} shares to workers.
 *
 * <p>A worker that finishes a share spins for {@link #SPIN_NANOS} (1 ms by default) waiting for the next one before it
 * parks, and the caller spins for its shares to finish: an RNN step issues a product every few
 * hundred microseconds, and waking a parked thread costs tens of microseconds on this kind of
 * machine — with a parked pool, products of 64 rows ran no faster on two threads than on one. (OpenMP
 * runtimes, which BLAS libraries use, spin the same way.) A share offered while every worker is busy
 * (another thread's product) is not queued: {@link #offer} returns {@code null} and the caller runs
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
    if (micros == null) {
      return 1_000_000;
    }
    try {
      long us = Long.parseLong(micros.trim());
      if (us >= 0) {
        return us * 1000;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("ejml: system property " + SPIN_PROPERTY + "=" + micros + " is not a number of microseconds (0 or more)");
  }

  /** Hands {@code share} to an idle worker, or returns {@code null} when none is idle. */
  static Share offer(Runnable share) {
    for (Worker w : Holder.WORKERS) {
      Share s = w.offer(share);
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  /** A share running on a worker. */
  static final class Share {
    private final Runnable work;
    private Throwable failure; // written before done
    private volatile boolean done;

    private Share(Runnable work) {
      this.work = work;
    }

    /** Waits (spinning, then yielding) until the share is done; rethrows what it threw. */
    void await() {
      for (int spins = 0; !done; spins++) {
        if (spins < 20_000) { // ~1 ms
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
      if (failure instanceof RuntimeException) {
        throw (RuntimeException) failure;
      }
      if (failure instanceof Error) {
        throw (Error) failure;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    }
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
    private final AtomicReference<Share> slot = new AtomicReference<>();
    private volatile boolean parked;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    Share offer(Runnable work) {
      Share share = new Share(work);
      if (!slot.compareAndSet(null, share)) {
        return null;
      }
      if (parked) { // read after the slot was written; the worker writes parked before it reads the slot
        LockSupport.unpark(this);
      }
      return share;
    }

    @Override
    public void run() {
      long idleSince = System.nanoTime();
      while (true) {
        Share share = slot.get();
        if (share != null) {
          try {
            share.work.run();
          } catch (Throwable t) {
            share.failure = t;
          }
          slot.set(null); // free before done, so the caller's next offer finds this worker idle
          share.done = true;
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

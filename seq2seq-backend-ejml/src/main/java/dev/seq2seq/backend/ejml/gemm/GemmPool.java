package dev.seq2seq.backend.ejml.gemm;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process-wide pool of GEMM worker threads: daemon threads, as many as available processors,
 * created once on first use (never per call). The calling thread runs one share of every product
 * itself, so a product on {@code t} threads occupies {@code t - 1} workers.
 */
final class GemmPool {
  /** Available processors when the pool was created: the most threads one product uses. */
  static final int SIZE = Math.max(1, Runtime.getRuntime().availableProcessors());

  private GemmPool() {}

  static ExecutorService executor() {
    return Holder.EXECUTOR;
  }

  private static final class Holder {
    static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(SIZE, new java.util.concurrent.ThreadFactory() {
      private final AtomicInteger count = new AtomicInteger();

      @Override
      public Thread newThread(Runnable r) {
        Thread t = new Thread(r, "seq2seq-gemm-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      }
    });
  }
}

package dev.seq2seq.backend.ejml.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Claimed chunks: each runs once, failures wait for the rest, a busy pool leaves the work to the
 * caller, and a caller that has waited out its spin parks until the last chunk is done.
 */
class ParallelTest {

  @Test
  void everyChunkRunsExactlyOnce() {
    for (int chunks : new int[] {0, 1, 2, 3, 8, 1000}) {
      AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(chunks, 1));
      for (int repeat = 0; repeat < 50; repeat++) {
        Parallel.forChunks(GemmPool.SIZE, chunks, runs::incrementAndGet);
      }
      for (int c = 0; c < chunks; c++) {
        assertThat(runs.get(c)).as("chunk %s of %s, 50 calls", c, chunks).isEqualTo(50);
      }
    }
  }

  @Test
  void forRangeCoversTheIndicesInDisjointRangesOfAtLeastTheChunkGrain() {
    int count = 1000;
    int cost = 256; // 256k elements of work: split
    AtomicIntegerArray seen = new AtomicIntegerArray(count);
    List<int[]> ranges = new ArrayList<>();
    Parallel.forRange(count, cost, (from, to) -> {
      synchronized (ranges) {
        ranges.add(new int[] {from, to});
      }
      for (int i = from; i < to; i++) {
        seen.incrementAndGet(i);
      }
    });
    for (int i = 0; i < count; i++) {
      assertThat(seen.get(i)).as("index %s", i).isEqualTo(1);
    }
    int expectedRanges = GemmPool.SIZE == 1 ? 1 : Parallel.CHUNKS_PER_THREAD * GemmPool.SIZE;
    assertThat(ranges).hasSize(expectedRanges);
    for (int[] r : ranges) {
      assertThat((long) (r[1] - r[0]) * cost).as("range %s..%s", r[0], r[1]).isGreaterThanOrEqualTo(Parallel.CHUNK_GRAIN);
    }
  }

  @Test
  void smallWorkRunsInOneCallOnTheCaller() {
    Thread caller = Thread.currentThread();
    List<Thread> ranThere = new ArrayList<>();
    Parallel.forRange(10, Parallel.GRAIN / 10, (from, to) -> {
      assertThat(from).isZero();
      assertThat(to).isEqualTo(10);
      ranThere.add(Thread.currentThread());
    });
    assertThat(ranThere).containsExactly(caller);
  }

  @Test
  void aFailingChunkIsRethrownOnlyWhenNoOtherChunkIsStillRunning() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    assertThatThrownBy(() -> Parallel.forChunks(GemmPool.SIZE, 16, c -> {
      running.incrementAndGet();
      try {
        if (c == 1) {
          throw new IllegalStateException("chunk 1 failed");
        }
        sleep(2);
        finished.incrementAndGet();
      } finally {
        running.decrementAndGet();
      }
    })).isInstanceOf(IllegalStateException.class).hasMessage("chunk 1 failed");
    assertThat(running.get()).as("chunks still running when the failure reached the caller").isZero();
    assertThat(finished.get()).as("chunks that ran to the end (those started after the failure are skipped)").isLessThan(15);
  }

  @Test
  void withEveryWorkerBusyTheCallerRunsEveryChunk() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Runnable waitForRelease = GemmPoolTest.waitingFor(release);
    try {
      for (int i = 0; i < GemmPool.SIZE - 1; i++) {
        assertThat(GemmPoolTest.offerWhenIdle(waitForRelease)).as("worker %s took the blocking work", i).isTrue();
      }
      Thread caller = Thread.currentThread();
      List<Thread> threads = new ArrayList<>();
      Parallel.forChunks(GemmPool.SIZE, 8, c -> {
        synchronized (threads) {
          threads.add(Thread.currentThread());
        }
      });
      assertThat(threads).hasSize(8).containsOnly(caller);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aCallerWaitingLongerThanTheSpinParksUntilTheLastChunkEnds() throws Exception {
    assumeTrue(GemmPool.SIZE >= 2, "needs a worker thread");
    Thread caller = Thread.currentThread();
    CountDownLatch workerStarted = new CountDownLatch(1);
    AtomicReference<Thread.State> callerWhileWorkerSlept = new AtomicReference<>();
    AtomicIntegerArray runs = new AtomicIntegerArray(2);
    Parallel.forChunks(2, 2, c -> {
      runs.incrementAndGet(c);
      if (Thread.currentThread() == caller) {
        try {
          workerStarted.await(1, TimeUnit.SECONDS); // the worker took the other chunk (or is busy elsewhere)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      workerStarted.countDown();
      sleep(30); // a descheduled worker, as the caller sees it
      callerWhileWorkerSlept.set(caller.getState());
    });
    assertThat(runs.get(0)).isEqualTo(1);
    assertThat(runs.get(1)).isEqualTo(1);
    assumeTrue(callerWhileWorkerSlept.get() != null, "the worker did not take a chunk");
    assertThat(callerWhileWorkerSlept.get()).as("the caller, %s us after its spin ended", 30_000).isEqualTo(Thread.State.WAITING);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

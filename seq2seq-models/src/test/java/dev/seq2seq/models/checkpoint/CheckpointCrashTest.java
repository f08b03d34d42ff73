package dev.seq2seq.models.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A save interrupted at any point leaves the previous or the new checkpoint, complete and loadable. */
class CheckpointCrashTest {
  /** Stands for the process dying: not an IOException, so the writer does not clean up. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String point) {
      super("simulated crash at " + point);
    }
  }

  @TempDir Path dir;

  @AfterEach
  void resetHook() {
    AtomicDirectory.hook = AtomicDirectory.NONE;
  }

  private static void assertHolds(Checkpoint ckpt, long step) {
    assertThat(ckpt.trainingState().orElseThrow().step()).isEqualTo(step);
    assertThat(ckpt.weights()).isEqualTo(CheckpointSaveLoop.weights(step));
    assertThat(ckpt.optimizerState().orElseThrow().get("exp_avg.head.weight"))
        .isEqualTo(CheckpointSaveLoop.weights(step + 1_000_000).get("head.weight"));
  }

  private List<String> siblings() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"wrote:model.safetensors", "wrote:config.json", "wrote:optimizer.safetensors",
      "wrote:training_state.json", "wrote:manifest.json", "temp-complete", "old-moved-aside", "new-moved-in", "done"})
  void crashAtEachPointLeavesACompleteCheckpoint(String point) throws IOException {
    Backend ejml = Backends.get("ejml");
    Path target = dir.resolve("ckpt");
    CheckpointSaveLoop.writer(ejml, 1).save(target);
    AtomicDirectory.hook = p -> {
      if (p.equals(point)) {
        throw new SimulatedCrash(p);
      }
    };
    assertThatThrownBy(() -> CheckpointSaveLoop.writer(ejml, 2).save(target)).isInstanceOf(SimulatedCrash.class);
    AtomicDirectory.hook = AtomicDirectory.NONE;

    boolean newVisible = point.equals("new-moved-in") || point.equals("done");
    Checkpoint ckpt = Checkpoint.load(target);
    assertHolds(ckpt, newVisible ? 2 : 1);
    assertThat(ckpt.recoveredFromOld()).isEqualTo(point.equals("old-moved-aside"));

    // The next save repairs whatever the crash left and leaves only the new checkpoint.
    CheckpointSaveLoop.writer(ejml, 3).save(target);
    assertHolds(Checkpoint.load(target), 3);
    assertThat(siblings()).containsExactly("ckpt");
  }

  @Test
  void aCrashWhileDeletingTheOldCopyIsRepaired() throws IOException {
    Backend ejml = Backends.get("ejml");
    Path target = dir.resolve("ckpt");
    CheckpointSaveLoop.writer(ejml, 1).save(target);
    // Leave a half-deleted T.old beside a complete T, as a crash in step 5 would.
    CheckpointSaveLoop.writer(ejml, 7).save(dir.resolve("scratch"));
    Files.move(dir.resolve("scratch"), AtomicDirectory.oldOf(target));
    Files.delete(AtomicDirectory.oldOf(target).resolve(Checkpoint.MODEL));
    assertHolds(Checkpoint.load(target), 1);
    CheckpointSaveLoop.writer(ejml, 2).save(target);
    assertHolds(Checkpoint.load(target), 2);
    assertThat(siblings()).containsExactly("ckpt");
  }

  /**
   * The real thing: a child JVM saves in a loop and is killed with {@code destroyForcibly()} at a
   * random moment, three times; each time the checkpoint on disk must load and be exactly one the
   * child saved (the last one it reported, or one it finished but had not reported yet).
   */
  @Test
  void killingTheProcessMidSaveLeavesTheLastCheckpointIntact() throws Exception {
    Path target = dir.resolve("ckpt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Random random = new Random(42);
    long nextStep = 1;
    int recoveredFromOld = 0;
    for (int round = 0; round < 3; round++) {
      Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          CheckpointSaveLoop.class.getName(), target.toString(), Long.toString(nextStep))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      AtomicLong lastSaved = new AtomicLong(-1);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("saved ")) {
              lastSaved.set(Long.parseLong(line.substring(6)));
            }
          }
        } catch (IOException ignored) {
          // the child was killed
        }
      });
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (lastSaved.get() < nextStep + 2) {
        assertThat(child.isAlive()).as("child saving checkpoints").isTrue();
        assertThat(System.nanoTime()).as("child made 3 saves in time").isLessThan(deadline);
        Thread.sleep(5);
      }
      Thread.sleep(random.nextInt(40));
      long reported = lastSaved.get();
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join(2000);

      Checkpoint ckpt = Checkpoint.load(target);
      long step = ckpt.trainingState().orElseThrow().step();
      assertThat(step).as("round %d: a checkpoint at least as new as the last reported", round).isGreaterThanOrEqualTo(reported);
      assertThat(step).isLessThanOrEqualTo(lastSaved.get() + 1);
      assertHolds(ckpt, step);
      if (ckpt.recoveredFromOld()) {
        recoveredFromOld++;
      }
      nextStep = step + 100; // the next child first repairs what this one left
    }
    System.out.println("kill test: loaded from T.old after " + recoveredFromOld + " of 3 kills");
  }
}

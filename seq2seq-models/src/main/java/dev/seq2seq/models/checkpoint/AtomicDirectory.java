package dev.seq2seq.models.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Replaces a directory so that a crash at any point leaves a complete old or a complete new copy,
 * and finds the complete copy again on load. The protocol is described in the package
 * documentation; in short:
 *
 * <ol>
 *   <li>recover: if {@code T} is missing and {@code T.old} exists, rename {@code T.old} back to
 *       {@code T}; if both exist, delete {@code T.old}; delete stale {@code .T.tmp-*} directories;
 *   <li>write everything into a fresh {@code .T.tmp-<uuid>} next to {@code T}, fsync each file
 *       and the directory;
 *   <li>rename {@code T} to {@code T.old} (if {@code T} exists), fsync the parent;
 *   <li>rename {@code .T.tmp-<uuid>} to {@code T}, fsync the parent;
 *   <li>delete {@code T.old}, fsync the parent.
 * </ol>
 *
 * <p>Every rename is a same-filesystem {@link StandardCopyOption#ATOMIC_MOVE} of a directory onto a
 * name that does not exist. Load rule: use {@code T} if it exists (it only ever appears complete),
 * else {@code T.old}. Single writer per target: concurrent saves to one target are not supported.
 */
final class AtomicDirectory {
  /** Where a save has got to; tests inject a failure here to simulate a crash. */
  interface Hook {
    void reached(String point) throws IOException;
  }

  /** Writes the complete content into the (empty) temporary directory. */
  interface Content {
    void writeTo(Path directory) throws IOException;
  }

  static final Hook NONE = point -> {};
  static volatile Hook hook = NONE;

  static final String OLD_SUFFIX = ".old";

  private AtomicDirectory() {}

  static Path oldOf(Path target) {
    return target.resolveSibling(target.getFileName() + OLD_SUFFIX);
  }

  private static String tempPrefix(Path target) {
    return "." + target.getFileName() + ".tmp-";
  }

  /**
   * Atomically replaces (or creates) directory {@code target} with what {@code content} writes.
   * An existing non-empty {@code target} without the file {@code marker} is not ours and is never
   * replaced.
   */
  static void replace(Path target, Content content, String marker) throws IOException {
    Path t = target.toAbsolutePath().normalize();
    Path parent = t.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("checkpoint: cannot save to a filesystem root: " + target);
    }
    Files.createDirectories(parent);
    recover(t, marker);
    Path old = oldOf(t);
    Path temp = parent.resolve(tempPrefix(t) + UUID.randomUUID());
    Files.createDirectory(temp);
    try {
      content.writeTo(temp);
      fsyncDirectory(temp);
    } catch (IOException | RuntimeException e) {
      deleteRecursively(temp);
      throw e;
    }
    hook.reached("temp-complete");
    boolean movedAside = Files.exists(t);
    if (movedAside) {
      Files.move(t, old, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(parent);
      hook.reached("old-moved-aside");
    }
    Files.move(temp, t, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(parent);
    hook.reached("new-moved-in");
    if (movedAside) {
      deleteRecursively(old, marker);
      fsyncDirectory(parent);
    }
    hook.reached("done");
  }

  /** Undoes an interrupted save (see the class comment); checks {@code T} is ours to replace. */
  static void recover(Path t, String marker) throws IOException {
    Path old = oldOf(t);
    if (Files.exists(old, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      // Ours if it carries the marker, or is an empty directory (a deletion that got to the end).
      checkOurs(old, marker);
      if (!Files.exists(t) && Files.exists(old.resolve(marker))) {
        Files.move(old, t, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(t.getParent());
      } else {
        deleteRecursively(old, marker);
      }
    }
    if (Files.exists(t)) {
      checkOurs(t, marker);
    }
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(t.getParent(), tempPrefix(t) + "*")) {
      for (Path stale : siblings) {
        deleteRecursively(stale);
      }
    }
  }

  /** Refuses to replace a file, or a non-empty directory without {@code marker} (not a checkpoint). */
  private static void checkOurs(Path dir, String marker) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir + " exists and is not a checkpoint directory; refusing to replace it");
    }
    if (!Files.exists(dir.resolve(marker))) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new FileAlreadyExistsException(dir.toString(), null,
              "exists and is not a checkpoint (no " + marker + "); refusing to replace it");
        }
      }
    }
  }

  /** The directory to load: {@code target} if it exists, else {@code target.old} if that exists. */
  static Path resolveForLoad(Path target) throws IOException {
    if (Files.exists(target)) {
      return target;
    }
    Path old = oldOf(target);
    if (Files.isDirectory(old)) {
      return old;
    }
    throw new NoSuchFileException(target.toString(), null, "no checkpoint here (nor " + old.getFileName() + " from an interrupted save)");
  }

  /** Writes {@code bytes} to a new file and forces it to the device. */
  static void writeFile(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      SafeTensors.writeFully(ch, java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
  }

  /**
   * Forces a directory's entries to the device, so renames and new files survive a power loss.
   * Some platforms (Windows) cannot open a directory; there it is skipped.
   */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (Files.isDirectory(dir) && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
        return;
      }
      throw e;
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    deleteRecursively(root, null);
  }

  /**
   * Deletes {@code root} and everything under it, children first; {@code root/lastFile} (if not
   * null) goes last before {@code root} itself, so a directory interrupted mid-deletion still
   * carries its marker and is recognised as ours by {@link #checkOurs}.
   */
  static void deleteRecursively(Path root, String lastFile) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    if (lastFile != null && all.remove(root.resolve(lastFile))) {
      all.add(all.size() - 1, root.resolve(lastFile));
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}

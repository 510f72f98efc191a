package io.cvmsim.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state directory: files written whole or not at all (a temporary file in the same directory,
 * written and fsynced, renamed over the old one atomically, then the directory fsynced), files
 * moved aside into {@code rejected/}, and a lock ({@code .lock}) that keeps a second process off
 * the same directory. Not thread safe; its owner serialises the calls.
 */
final class StateDirectory implements AutoCloseable {

  /** The lock file, held while the service runs. */
  static final String LOCK = ".lock";

  /** Where files that cannot be restored are moved, with the time appended. */
  static final String REJECTED = "rejected";

  /** The suffix of a file being written; one left behind by a crash is removed at start. */
  static final String TEMPORARY = ".tmp";

  private static final Logger log = LoggerFactory.getLogger(StateDirectory.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /**
   * Opens (creating it if need be) and locks {@code dir}.
   *
   * @throws IllegalStateException if the directory cannot be used or another process holds it
   */
  StateDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.dir);
      lockChannel =
          FileChannel.open(
              this.dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cvmsim.state.dir " + this.dir + " cannot be used: " + e.getMessage(), e);
    }
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      closeQuietly();
      throw new IllegalStateException(
          "cvmsim.state.dir "
              + this.dir
              + " is in use by another cvmsim process (it holds "
              + LOCK
              + "); give each process its own directory");
    }
    lock = l;
  }

  /** Returns the directory. */
  Path path() {
    return dir;
  }

  /** Returns the regular files whose names end with {@code suffix}, sorted by name. */
  List<Path> files(String suffix) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Returns the other regular files: neither ours nor hidden. */
  List<Path> otherFiles(List<String> suffixes) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> suffixes.stream().noneMatch(x -> p.getFileName().toString().endsWith(x)))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Removes the temporary files a crash left behind; they never replaced anything. */
  void removeTemporaries() {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") && n.endsWith(TEMPORARY) && Files.isRegularFile(p)) {
          Files.delete(p);
          log.info("removed {}, a file whose writing was interrupted (the previous one stands)", p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code name} whole or not at all: a temporary file in the same directory is written and
   * fsynced, renamed over {@code name} atomically, and the directory fsynced.
   */
  void write(String name, byte[] bytes) throws IOException {
    Path target = dir.resolve(name);
    Path tmp = dir.resolve("." + name + TEMPORARY);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
  }

  /** Deletes {@code name} if it exists. */
  void delete(String name) throws IOException {
    if (Files.deleteIfExists(dir.resolve(name))) {
      syncDirectory();
    }
  }

  /** Moves {@code file} into {@code rejected/} with the time appended; returns where it went. */
  Path moveAside(Path file) {
    try {
      Path rejected = Files.createDirectories(dir.resolve(REJECTED));
      Path to = rejected.resolve(file.getFileName() + "." + STAMP.format(Instant.now()));
      Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory();
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot fsync a directory; the rename is still atomic there.
      log.debug("cannot fsync {}: {}", dir, e.toString());
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      log.debug("cannot release {}: {}", LOCK, e.toString());
    }
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      lockChannel.close();
    } catch (IOException e) {
      log.debug("cannot close {}: {}", LOCK, e.toString());
    }
  }
}

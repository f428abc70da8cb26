package dev.valine.orchestrator.local;

import dev.valine.orchestrator.discord.Ed25519KeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The local server's dev key pair, kept in one file so that {@code serve} restarts keep the same public
 * key and {@code invoke} can sign with the private one. Only for local use: Lambda always verifies with
 * the real Discord public key.
 */
public final class DevKeys {
  /** Where {@code serve} keeps the dev private key, relative to the working directory. */
  public static final Path DEFAULT_FILE = Path.of(".valine", "dev-signing-key");

  private DevKeys() {}

  /** Reads the key pair from the file, or creates one there (owner-only permissions) if it is missing. */
  public static Ed25519KeyPair loadOrCreate(Path file, SecureRandom random) throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    Ed25519KeyPair pair = Ed25519KeyPair.generate(random);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try {
      if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException raced) {
      // Another process created it between our check and now: use theirs.
      return load(file);
    }
    Files.writeString(file, pair.privateKeyHex() + "\n", StandardCharsets.US_ASCII);
    return pair;
  }

  public static Ed25519KeyPair load(Path file) throws IOException {
    try {
      return Ed25519KeyPair.fromPrivateKeyHex(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " does not hold a private key (64 hex characters); delete it and run serve again", e);
    }
  }
}

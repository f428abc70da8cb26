package dev.valine.orchestrator.github;

import dev.valine.orchestrator.github.GitHubException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * An artifact's zip archive as downloaded, and a reader for one entry in it that a hostile archive cannot
 * blow up. Sizes the archive declares are not trusted; what is actually unpacked is bounded: at most
 * {@code maxEntryBytes} of the entry asked for, at most {@link #MAX_SKIPPED_BYTES} of the entries before it
 * (a stream reader has to inflate those to find the next one), at most {@link #MAX_ENTRIES} entries, and no
 * entry packed tighter than {@link #MAX_RATIO}:1 once past {@link #RATIO_FLOOR} bytes.
 */
public final class ArtifactZip {
  /** Packing this tight is a zip bomb's signature, not a report's. */
  static final int MAX_RATIO = 100;
  /**
   * Below this many unpacked bytes an entry's ratio is not judged: it costs nothing, and the packed bytes
   * counted so far are only approximate (the zip reader reads ahead into the next entry).
   */
  static final long RATIO_FLOOR = 64 * 1024;
  static final long MAX_SKIPPED_BYTES = 16 * 1024 * 1024;
  static final int MAX_ENTRIES = 1_000;

  private final byte[] bytes;

  public ArtifactZip(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  /** The archive's size in bytes, as downloaded. */
  public int size() {
    return bytes.length;
  }

  /**
   * The entry named exactly {@code entryName} (a path inside the archive, e.g. {@code summary.json}), as UTF-8
   * text; empty when the archive has no such entry.
   *
   * @throws GitHubException {@link Kind#BAD_RESPONSE} when the archive is unreadable, or the entry (or what comes
   *     before it) is larger or packed tighter than the bounds above
   */
  public Optional<String> text(String entryName, int maxEntryBytes) throws GitHubException {
    // Every zip, even an empty one, starts with "PK"; the stream reader would take anything else for an empty archive.
    if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
      throw new GitHubException(Kind.BAD_RESPONSE, 200, "The artifact is not a zip archive.");
    }
    CountingStream packed = new CountingStream(new ByteArrayInputStream(bytes));
    long skipped = 0;
    try (ZipInputStream zip = new ZipInputStream(packed, StandardCharsets.UTF_8)) {
      ZipEntry entry;
      for (int entries = 1; (entry = zip.getNextEntry()) != null; entries++) {
        if (entries > MAX_ENTRIES) {
          throw refused("it holds more than " + MAX_ENTRIES + " files");
        }
        if (!entry.isDirectory() && entry.getName().equals(entryName)) {
          if (entry.getSize() > maxEntryBytes) {
            throw refused("`" + entryName + "` is larger than " + maxEntryBytes + " bytes");
          }
          ByteArrayOutputStream kept = new ByteArrayOutputStream();
          unpack(zip, packed, maxEntryBytes, kept, "`" + entryName + "` is larger than " + maxEntryBytes + " bytes");
          return Optional.of(kept.toString(StandardCharsets.UTF_8));
        }
        // Read past it here, under our bounds, rather than let the reader inflate it unbounded on the next call.
        skipped += unpack(zip, packed, MAX_SKIPPED_BYTES - skipped, null,
            "it holds more than " + MAX_SKIPPED_BYTES + " bytes before `" + entryName + "`");
      }
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      // ZipException for a broken archive, EOFException for a cut one; IllegalArgumentException for a bad entry name.
      throw new GitHubException(Kind.BAD_RESPONSE, "The artifact is not a zip archive we can read (" + e.getClass().getSimpleName() + ").", e);
    }
  }

  /** Unpacks the current entry into {@code kept} (or nowhere), refusing past {@code limit} bytes or a bomb's ratio. */
  private static long unpack(ZipInputStream zip, CountingStream packed, long limit, ByteArrayOutputStream kept, String tooLarge)
      throws IOException, GitHubException {
    long packedAtStart = packed.count;
    byte[] buffer = new byte[8192];
    long unpacked = 0;
    int read;
    while ((read = zip.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - unpacked))) > 0) {
      unpacked += read;
      if (unpacked > limit) {
        throw refused(tooLarge);
      }
      if (unpacked > RATIO_FLOOR && unpacked > MAX_RATIO * Math.max(1, packed.count - packedAtStart)) {
        throw refused("one of its files is packed more than " + MAX_RATIO + ":1, which only zip bombs are");
      }
      if (kept != null) {
        kept.write(buffer, 0, read);
      }
    }
    return unpacked;
  }

  private static GitHubException refused(String why) {
    return new GitHubException(Kind.BAD_RESPONSE, 200, "The artifact was not read: " + why + ".");
  }

  /** Counts the packed bytes the zip reader has taken. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}

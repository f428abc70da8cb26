package dev.valine.orchestrator.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.valine.orchestrator.github.GitHubException.Kind;
import dev.valine.orchestrator.testing.GitHubFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class ArtifactZipTest {
  private static final String SUMMARY = "{\"checks\":[{\"name\":\"api\",\"ok\":false,\"detail\":\"502 from /health\"}]}";
  private static final int LIMIT = 256 * 1024;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes that do not compress, as large as asked. */
  private static byte[] noise(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return bytes;
  }

  @Test
  void readsTheNamedEntry() throws Exception {
    ArtifactZip zip = new ArtifactZip(GitHubFixtures.zip(new LinkedHashMap<>(Map.of(
        "logs/run.txt", utf8("step 1 ok"),
        "summary.json", utf8(SUMMARY)))));

    assertEquals(Optional.of(SUMMARY), zip.text("summary.json", LIMIT));
  }

  @Test
  void anArchiveWithoutTheEntryHasNone() throws Exception {
    ArtifactZip zip = new ArtifactZip(GitHubFixtures.zip(Map.of("report/summary.json", utf8(SUMMARY))));

    assertEquals(Optional.empty(), zip.text("summary.json", LIMIT));
  }

  @Test
  void refusesAHugeSummaryJson() {
    // Ten megabytes of whitespace inside valid JSON pack into a few kilobytes.
    byte[] huge = utf8("{\"checks\":[]" + " ".repeat(10 * 1024 * 1024) + "}");
    ArtifactZip zip = new ArtifactZip(GitHubFixtures.zip(Map.of("summary.json", huge)));

    GitHubException error = assertThrows(GitHubException.class, () -> zip.text("summary.json", LIMIT));

    // Its packing gives it away first; either bound refuses it long before it is unpacked.
    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertEquals("The artifact was not read: one of its files is packed more than 100:1, which only zip bombs are.", error.getMessage());
  }

  @Test
  void refusesAnEntryPackedLikeAZipBombEvenUnderTheSizeBound() {
    byte[] packedTight = utf8(" ".repeat(1024 * 1024));
    ArtifactZip zip = new ArtifactZip(GitHubFixtures.zip(Map.of("summary.json", packedTight)));

    GitHubException error = assertThrows(GitHubException.class, () -> zip.text("summary.json", 4 * 1024 * 1024));

    assertEquals("The artifact was not read: one of its files is packed more than 100:1, which only zip bombs are.", error.getMessage());
  }

  @Test
  void refusesALargeEntryThatDoesNotCompress() {
    ArtifactZip zip = new ArtifactZip(GitHubFixtures.zip(Map.of("summary.json", noise(LIMIT + 1))));

    GitHubException error = assertThrows(GitHubException.class, () -> zip.text("summary.json", LIMIT));

    assertEquals("The artifact was not read: `summary.json` is larger than 262144 bytes.", error.getMessage());
  }

  @Test
  void refusesAnEntryThatDeclaresItselfTooLargeWithoutReadingIt() throws Exception {
    // A stored entry carries its size in the header it is read by.
    byte[] content = noise(LIMIT + 1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      ZipEntry entry = new ZipEntry("summary.json");
      entry.setMethod(ZipEntry.STORED);
      entry.setSize(content.length);
      CRC32 crc = new CRC32();
      crc.update(content);
      entry.setCrc(crc.getValue());
      out.putNextEntry(entry);
      out.write(content);
      out.closeEntry();
    }
    ArtifactZip zip = new ArtifactZip(bytes.toByteArray());

    GitHubException error = assertThrows(GitHubException.class, () -> zip.text("summary.json", LIMIT));

    assertEquals("The artifact was not read: `summary.json` is larger than 262144 bytes.", error.getMessage());
  }

  @Test
  void aBombBeforeTheEntryIsNotUnpackedWhole() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("padding.bin", new byte[64 * 1024 * 1024]);
    entries.put("summary.json", utf8(SUMMARY));
    ArtifactZip zip = new ArtifactZip(GitHubFixtures.zip(entries));

    GitHubException error = assertThrows(GitHubException.class, () -> zip.text("summary.json", LIMIT));

    assertEquals("The artifact was not read: one of its files is packed more than 100:1, which only zip bombs are.", error.getMessage());
  }

  @Test
  void boundsWhatItUnpacksBeforeTheEntry() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("bundle.bin", noise((int) ArtifactZip.MAX_SKIPPED_BYTES + 1));
    entries.put("summary.json", utf8(SUMMARY));
    ArtifactZip zip = new ArtifactZip(GitHubFixtures.zip(entries));

    GitHubException error = assertThrows(GitHubException.class, () -> zip.text("summary.json", LIMIT));

    assertEquals("The artifact was not read: it holds more than 16777216 bytes before `summary.json`.", error.getMessage());
  }

  @Test
  void refusesAnArchiveOfTooManyFiles() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i <= ArtifactZip.MAX_ENTRIES; i++) {
      entries.put("log-" + i + ".txt", utf8("ok"));
    }
    entries.put("summary.json", utf8(SUMMARY));
    ArtifactZip zip = new ArtifactZip(GitHubFixtures.zip(entries));

    GitHubException error = assertThrows(GitHubException.class, () -> zip.text("summary.json", LIMIT));

    assertEquals("The artifact was not read: it holds more than 1000 files.", error.getMessage());
  }

  @Test
  void somethingThatIsNotAZipIsABadResponse() {
    ArtifactZip notZip = new ArtifactZip(utf8("<html>Sign in to GitHub</html>"));

    GitHubException error = assertThrows(GitHubException.class, () -> notZip.text("summary.json", LIMIT));

    assertEquals(Kind.BAD_RESPONSE, error.kind());
    assertEquals("The artifact is not a zip archive.", error.getMessage());
  }

  @Test
  void anEmptyArchiveHasNoEntry() throws Exception {
    assertEquals(Optional.empty(), new ArtifactZip(GitHubFixtures.zip(Map.of())).text("summary.json", LIMIT));
  }

  @Test
  void aCutArchiveIsABadResponse() {
    byte[] whole = GitHubFixtures.zip(Map.of("summary.json", noise(8 * 1024)));
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);

    GitHubException error = assertThrows(GitHubException.class, () -> new ArtifactZip(cut).text("summary.json", LIMIT));

    assertEquals(Kind.BAD_RESPONSE, error.kind());
  }
}

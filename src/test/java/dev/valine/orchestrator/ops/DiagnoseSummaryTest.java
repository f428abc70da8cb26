package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.ops.DiagnoseSummary.Check;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiagnoseSummaryTest {
  @Test
  void toleratesMissingAndOddFieldsInACheck() throws Exception {
    List<Check> checks = DiagnoseSummary.parse("{\"checks\":[{\"name\":\"dns\"},{\"ok\":\"false\",\"detail\":42},7]}");

    assertEquals(List.of(new Check("dns", Optional.empty(), ""), new Check("(unnamed check)", Optional.of(false), "42"),
        new Check("(not a check)", Optional.empty(), "")), checks);
  }

  @Test
  void refusesWhatIsNotASummary() {
    assertEquals("it is not JSON", assertThrows(DiagnoseSummary.UnreadableSummaryException.class,
        () -> DiagnoseSummary.parse("checks: all good")).getMessage());
    assertEquals("it has no `checks` list", assertThrows(DiagnoseSummary.UnreadableSummaryException.class,
        () -> DiagnoseSummary.parse("{\"results\":[]}")).getMessage());
  }

  @Test
  void rendersOneLinePerCheckWithATally() {
    String text = DiagnoseSummary.render(List.of(new Check("a", Optional.of(true), "fine"), new Check("b", Optional.empty(), "")), 2000);

    assertEquals("❔ Checks: 1 of 2 passed\n✅ a — fine\n❔ b", text);
  }

  @Test
  void neutralisesMarkdownLinksAndMassMentionsFromTheArtifact() {
    String text = DiagnoseSummary.render(List.of(new Check("[login](https://evil.example)", Optional.of(false),
        "@everyone **now**\n# heading")), 2000);

    assertFalse(text.contains("[login](https"), text);
    assertTrue(text.contains("\\[login\\]\\(https://evil.example\\)"), text);
    assertFalse(text.contains("@everyone"), text);
    assertTrue(text.contains("\\*\\*now\\*\\*"), text);
    assertEquals(2, text.split("\n").length, "the detail stays on its line");
  }

  @Test
  void cutsAtTheLimitWithACountOfWhatIsLeftOut() {
    List<Check> many = java.util.stream.IntStream.range(0, 50).mapToObj(i -> new Check("check " + i, Optional.of(true), "ok")).toList();

    String text = DiagnoseSummary.render(many, 200);

    assertTrue(text.length() <= 200, text.length() + ": " + text);
    int shown = text.split("\n").length - 2;
    assertTrue(text.endsWith("\n… and " + (50 - shown) + " more"), text);
  }
}

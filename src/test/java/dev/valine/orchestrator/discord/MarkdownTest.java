package dev.valine.orchestrator.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkdownTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Fix **bold** claim | Fix \\*\\*bold\\*\\* claim",
      "[click](https://evil.example) | \\[click\\]\\(https://evil.example\\)",
      "plain words | plain words"})
  void escapesMarkdownFromCommitTitles(String title, String expected) {
    assertEquals(expected, Markdown.escape(title));
  }

  @Test
  void setsTextAsOneLineOfInlineCodeThatCannotBreakOut() {
    assertEquals("`main`", Markdown.inlineCode("main", 10));
    assertEquals("`a 'b' c`", Markdown.inlineCode("a `b`\n c", 10));
    assertEquals("`abcd…`", Markdown.inlineCode("abcdefgh", 5), "at most 5 characters, the marker included");
    assertEquals("``", Markdown.inlineCode(null, 5));
  }
}

package dev.valine.orchestrator.digest;

/** How the digest shortens names from configuration to fit its lines. */
final class Formats {
  private Formats() {}

  /**
   * At most {@code max} characters: the head and the tail around an ellipsis when cut, so that names which share a
   * long prefix ({@code e2e-suite-frontend-1.yml}, {@code e2e-suite-frontend-2.yml}) stay apart. Never splits a
   * surrogate pair. Cut before escaping, so that no escape is left dangling.
   */
  static String shorten(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int head = (max - 1) / 2;
    int tailStart = text.length() - (max - 1 - head);
    if (Character.isHighSurrogate(text.charAt(head - 1))) {
      head--;
    }
    if (Character.isLowSurrogate(text.charAt(tailStart))) {
      tailStart++;
    }
    return text.substring(0, head) + "…" + text.substring(tailStart);
  }
}

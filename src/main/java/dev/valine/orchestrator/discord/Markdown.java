package dev.valine.orchestrator.discord;

/**
 * Text from outside the bot (a commit title, a workflow name, a setting) made safe to put in a message:
 * Discord markdown escaped, or set as inline code, so that it can neither restyle the message nor pass a
 * link off as another (https://discord.com/developers/docs/reference#message-formatting).
 */
public final class Markdown {
  // Discord's markdown characters, and '\' itself.
  private static final String SPECIAL = "\\*_~`|[]()<>#-";
  private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("[\\p{Cntrl}\\s]+");

  private Markdown() {}

  /** Every markdown character behind a backslash. */
  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (SPECIAL.indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  /**
   * As inline code: on one line, with no backtick to break out of it, at most {@code max} characters (cut with
   * "…", never inside a surrogate pair).
   */
  public static String inlineCode(String text, int max) {
    String line = BLANKS.matcher(text == null ? "" : text).replaceAll(" ").replace('`', '\'').trim();
    if (line.length() > max) {
      int cut = Character.isHighSurrogate(line.charAt(max - 2)) ? max - 2 : max - 1;
      line = line.substring(0, cut) + "…";
    }
    return "`" + line + "`";
  }
}

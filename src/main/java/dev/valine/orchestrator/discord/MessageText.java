package dev.valine.orchestrator.discord;

/** Cuts text to Discord's limits with a visible marker, never splitting a surrogate pair. */
public final class MessageText {
  /** Discord's limit for a message's {@code content} (https://discord.com/developers/docs/resources/message#create-message). */
  public static final int MAX_CONTENT = 2000;
  /** Appended to cut text so the reader knows something is missing. */
  public static final String TRUNCATION_MARKER = "\n… (truncated)";

  private MessageText() {}

  /** The text unchanged when it fits in {@code limit} characters, else its head plus the marker. */
  public static String fit(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    int keep = limit - TRUNCATION_MARKER.length();
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, Math.max(keep, 0)) + TRUNCATION_MARKER;
  }
}

package dev.valine.orchestrator.alert;

import java.util.Locale;

/** How bad an alert is; decides its colour and emoji in the ops channel. */
public enum Severity {
  CRITICAL("🔴", 0xE74C3C), ERROR("🟠", 0xE67E22), WARNING("🟡", 0xF1C40F), INFO("🔵", 0x3498DB);

  private final String emoji;
  private final int colour;

  Severity(String emoji, int colour) {
    this.emoji = emoji;
    this.colour = colour;
  }

  public String emoji() {
    return emoji;
  }

  /** The embed colour as Discord wants it: an RGB integer. */
  public int colour() {
    return colour;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package dev.valine.orchestrator.discord;

import java.util.Objects;

/** The user who invoked an interaction: {@code member.user} in a guild, {@code user} in DMs. */
public record DiscordUser(String id, String username) {
  public DiscordUser {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(username, "username");
  }
}

package dev.valine.orchestrator.discord;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A verified, parsed interaction. Only what the bot uses is kept; the raw body stays with the request.
 * {@code toString} hides the interaction token, which is a credential for 15 minutes.
 *
 * @param commandName the invoked command's name, empty unless this is a command or autocomplete
 * @param options the command's top-level options, empty when there are none
 * @param memberRoles the ids of the invoker's roles in the guild ({@code member.roles}); empty in DMs
 */
public record Interaction(
    String id,
    String applicationId,
    InteractionType type,
    String token,
    Optional<String> guildId,
    Optional<String> channelId,
    Optional<DiscordUser> user,
    Optional<String> commandName,
    List<CommandOption> options,
    Optional<String> locale,
    List<String> memberRoles) {

  public Interaction {
    Objects.requireNonNull(type, "type");
    options = List.copyOf(options);
    memberRoles = List.copyOf(memberRoles);
  }

  /** Without member roles: a DM, or a guild member with none. */
  public Interaction(String id, String applicationId, InteractionType type, String token, Optional<String> guildId,
      Optional<String> channelId, Optional<DiscordUser> user, Optional<String> commandName, List<CommandOption> options,
      Optional<String> locale) {
    this(id, applicationId, type, token, guildId, channelId, user, commandName, options, locale, List.of());
  }

  /** A PING as Discord sends it when the endpoint URL is saved and as a periodic check. */
  public boolean isPing() {
    return type == InteractionType.PING;
  }

  /** Whether this came from a direct message (no guild), where the user is the top-level {@code user}. */
  public boolean isDirectMessage() {
    return guildId.isEmpty();
  }

  public Optional<CommandOption> option(String name) {
    return options.stream().filter(option -> option.name().equals(name)).findFirst();
  }

  /** The option's boolean value, or empty when it was not given. */
  public Optional<Boolean> booleanOption(String name) {
    return option(name).map(CommandOption::value).filter(Boolean.class::isInstance).map(Boolean.class::cast);
  }

  @Override
  public String toString() {
    return "Interaction[id=" + id + ", type=" + type + ", command=" + commandName.orElse("-")
        + ", guild=" + guildId.orElse("-") + ", user=" + user.map(DiscordUser::id).orElse("-")
        + ", token=***REDACTED***]";
  }
}

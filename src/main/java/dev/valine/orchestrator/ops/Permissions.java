package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import java.util.Optional;

/**
 * Who may act: operators dispatch workflows, admins change the deploy targets (and are operators too).
 * Rights come from user ids and guild role ids; commands that act work in a guild only, where Discord
 * sends the member's roles, and an empty grant means nobody. A refusal is ephemeral and names the
 * variables that grant the right, so the caller knows whom to ask.
 */
public final class Permissions {
  private final OpsSettings.Grants operators;
  private final OpsSettings.Grants admins;

  public Permissions(OpsSettings.Grants operators, OpsSettings.Grants admins) {
    this.operators = operators;
    this.admins = admins;
  }

  public static Permissions of(OpsSettings settings) {
    return new Permissions(settings.operators(), settings.admins());
  }

  public boolean isAdmin(Interaction interaction) {
    return inGuild(interaction) && holds(admins, interaction);
  }

  /** Admins are operators too. */
  public boolean isOperator(Interaction interaction) {
    return inGuild(interaction) && (holds(operators, interaction) || holds(admins, interaction));
  }

  /**
   * Empty when the caller may dispatch; otherwise the ephemeral answer.
   *
   * @param action what was refused, for the answer: "dispatch workflows", "run a diagnosis"
   */
  public Optional<InteractionResponse> refuseUnlessOperator(Interaction interaction, String action) {
    if (interaction.isDirectMessage()) {
      return Optional.of(inDirectMessage(action, operators));
    }
    if (isOperator(interaction)) {
      return Optional.empty();
    }
    return Optional.of(InteractionResponse.ephemeral("Only operators may " + action + ". Operators are the users in `"
        + operators.userVariable() + "` and members of the roles in `" + operators.roleVariable() + "` (admins too); ask "
        + "whoever deploys this bot to add you."));
  }

  /** Empty when the caller is an admin; otherwise the ephemeral answer. */
  public Optional<InteractionResponse> refuseUnlessAdmin(Interaction interaction, String action) {
    if (interaction.isDirectMessage()) {
      return Optional.of(inDirectMessage(action, admins));
    }
    if (isAdmin(interaction)) {
      return Optional.empty();
    }
    return Optional.of(InteractionResponse.ephemeral("Only admins may " + action + ". Admins are the users in `"
        + admins.userVariable() + "` and members of the roles in `" + admins.roleVariable() + "`; ask whoever deploys this "
        + "bot to add you."));
  }

  private static InteractionResponse inDirectMessage(String action, OpsSettings.Grants grants) {
    return InteractionResponse.ephemeral("I can only " + action + " in a server channel, where your roles are known "
        + "and the team sees what happens. Run the command there; the right comes from `" + grants.userVariable() + "` or `"
        + grants.roleVariable() + "`.");
  }

  private static boolean inGuild(Interaction interaction) {
    return !interaction.isDirectMessage();
  }

  private static boolean holds(OpsSettings.Grants grants, Interaction interaction) {
    String user = interaction.user().map(DiscordUser::id).orElse("");
    return grants.grants(user, interaction.memberRoles());
  }
}

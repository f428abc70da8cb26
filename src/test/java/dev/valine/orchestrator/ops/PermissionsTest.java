package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsTest {
  private static final String OPERATOR = "111";
  private static final String ADMIN = "444";
  private static final String OPS_ROLE = "333";
  private final Permissions permissions = new Permissions(
      new OpsSettings.Grants(Set.of(OPERATOR), Set.of(OPS_ROLE), "OPERATOR_USER_IDS", "OPERATOR_ROLE_IDS"),
      new OpsSettings.Grants(Set.of(ADMIN), Set.of(), "ADMIN_USER_IDS", "ADMIN_ROLE_IDS"));

  private static Interaction inGuild(String user, String... roles) {
    return new Interaction("1", "2", InteractionType.APPLICATION_COMMAND, "fake-token", Optional.of("33"), Optional.of("44"),
        Optional.of(new DiscordUser(user, "someone")), Optional.of("deploy-client"), List.of(), Optional.empty(), List.of(roles));
  }

  private static Interaction inDirectMessage(String user) {
    return new Interaction("1", "2", InteractionType.APPLICATION_COMMAND, "fake-token", Optional.empty(), Optional.of("44"),
        Optional.of(new DiscordUser(user, "someone")), Optional.of("deploy-client"), List.of(), Optional.empty());
  }

  @Test
  void letsOperatorsByIdOrRoleAndAdminsDispatch() {
    assertEquals(Optional.empty(), permissions.refuseUnlessOperator(inGuild(OPERATOR), "dispatch workflows"));
    assertEquals(Optional.empty(), permissions.refuseUnlessOperator(inGuild("999", OPS_ROLE), "dispatch workflows"));
    assertEquals(Optional.empty(), permissions.refuseUnlessOperator(inGuild(ADMIN), "dispatch workflows"), "admins are operators");
  }

  @Test
  void refusesAnyoneElseNamingTheVariablesThatGrantTheRight() {
    InteractionResponse refusal = permissions.refuseUnlessOperator(inGuild("999", "555"), "dispatch workflows").orElseThrow();

    assertTrue(refusal.ephemeral());
    assertTrue(refusal.content().startsWith("Only operators may dispatch workflows."), refusal.content());
    assertTrue(refusal.content().contains("`OPERATOR_USER_IDS`") && refusal.content().contains("`OPERATOR_ROLE_IDS`"), refusal.content());
  }

  @Test
  void refusesEvenAnOperatorInADirectMessage() {
    InteractionResponse refusal = permissions.refuseUnlessOperator(inDirectMessage(OPERATOR), "dispatch workflows").orElseThrow();

    assertTrue(refusal.ephemeral());
    assertTrue(refusal.content().contains("in a server channel"), refusal.content());
    assertTrue(refusal.content().contains("`OPERATOR_USER_IDS`") && refusal.content().contains("`OPERATOR_ROLE_IDS`"), refusal.content());
    assertFalse(permissions.isOperator(inDirectMessage(OPERATOR)));
  }

  @Test
  void keepsAdminRightsToAdmins() {
    assertTrue(permissions.isAdmin(inGuild(ADMIN)));
    assertFalse(permissions.isAdmin(inGuild(OPERATOR, OPS_ROLE)), "an operator is no admin");
    InteractionResponse refusal = permissions.refuseUnlessAdmin(inGuild(OPERATOR), "change the deploy targets").orElseThrow();
    assertTrue(refusal.content().contains("`ADMIN_USER_IDS`") && refusal.content().contains("`ADMIN_ROLE_IDS`"), refusal.content());
  }
}

package dev.valine.orchestrator.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a member may do in a guild channel, computed as Discord does: the {@code @everyone} role's permissions
 * and the member's roles' together, then the channel's overwrites for {@code @everyone}, for the member's roles
 * and for the member, in that order (docs: https://discord.com/developers/docs/topics/permissions#permission-overwrites).
 * Not covered: a guild owner (who may do everything; a bot rarely owns a guild) and a member timed out.
 */
final class ChannelPermissions {
  static final long ADMINISTRATOR = 1L << 3;
  static final long VIEW_CHANNEL = 1L << 10;
  static final long SEND_MESSAGES = 1L << 11;
  static final long EMBED_LINKS = 1L << 14;

  /** What posting an alert needs: seeing the channel, writing in it, and the alert's embed. */
  static final Map<Long, String> FOR_ALERTS;

  static {
    Map<Long, String> needed = new LinkedHashMap<>();
    needed.put(VIEW_CHANNEL, "View Channel");
    needed.put(SEND_MESSAGES, "Send Messages");
    needed.put(EMBED_LINKS, "Embed Links");
    FOR_ALERTS = java.util.Collections.unmodifiableMap(needed);
  }

  private static final int ROLE = 0;
  private static final int MEMBER = 1;

  private ChannelPermissions() {}

  /**
   * @param guildId the channel's guild, which is also the id of its {@code @everyone} role
   * @param userId the member
   * @param memberRoles the member's {@code roles} (ids, without {@code @everyone})
   * @param guildRoles {@code GET /guilds/{id}/roles}: objects with {@code id} and {@code permissions} (a decimal string)
   * @param overwrites the channel's {@code permission_overwrites}: {@code id}, {@code type} (0 role, 1 member),
   *     {@code allow}, {@code deny}
   * @return the permission bits
   */
  static long compute(String guildId, String userId, JsonNode memberRoles, JsonNode guildRoles, JsonNode overwrites) {
    Map<String, Long> roleBits = new LinkedHashMap<>();
    guildRoles.forEach(role -> roleBits.put(role.path("id").asText(), bits(role.path("permissions"))));
    Set<String> roles = new HashSet<>();
    memberRoles.forEach(role -> roles.add(role.asText()));

    long permissions = roleBits.getOrDefault(guildId, 0L);
    for (String role : roles) {
      permissions |= roleBits.getOrDefault(role, 0L);
    }
    if ((permissions & ADMINISTRATOR) != 0) {
      return ~0L;
    }
    JsonNode everyone = overwrite(overwrites, ROLE, guildId);
    if (everyone != null) {
      permissions = (permissions & ~bits(everyone.path("deny"))) | bits(everyone.path("allow"));
    }
    long allow = 0;
    long deny = 0;
    for (JsonNode entry : overwrites) {
      if (entry.path("type").asInt(-1) == ROLE && roles.contains(entry.path("id").asText())) {
        allow |= bits(entry.path("allow"));
        deny |= bits(entry.path("deny"));
      }
    }
    permissions = (permissions & ~deny) | allow;
    JsonNode member = overwrite(overwrites, MEMBER, userId);
    if (member != null) {
      permissions = (permissions & ~bits(member.path("deny"))) | bits(member.path("allow"));
    }
    return permissions;
  }

  /** The names of the permissions in {@code needed} that {@code permissions} lacks; without View Channel, none of the rest count. */
  static List<String> missing(long permissions, Map<Long, String> needed) {
    List<String> missing = new ArrayList<>();
    needed.forEach((bit, name) -> {
      if ((permissions & bit) == 0 || (permissions & VIEW_CHANNEL) == 0) {
        missing.add(name);
      }
    });
    return missing;
  }

  private static JsonNode overwrite(JsonNode overwrites, int type, String id) {
    for (JsonNode entry : overwrites) {
      if (entry.path("type").asInt(-1) == type && entry.path("id").asText().equals(id)) {
        return entry;
      }
    }
    return null;
  }

  /** Permissions travel as decimal strings: they outgrow what JavaScript numbers hold exactly. */
  private static long bits(JsonNode value) {
    try {
      return new java.math.BigInteger(value.asText("0")).longValue();
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

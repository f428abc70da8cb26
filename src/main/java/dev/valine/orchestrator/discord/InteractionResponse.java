package dev.valine.orchestrator.discord;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.json.Jackson;
import java.util.Objects;

/**
 * The body of an answer to an interaction
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object).
 * Every message sets {@code allowed_mentions: {"parse": []}} — the bot echoes user and GitHub text and must never ping on
 * anyone's behalf — and its content is cut to 2000 characters with a visible marker.
 *
 * @param content message text; null for PONG and for a deferred answer
 */
public record InteractionResponse(Type type, String content, boolean ephemeral) {

  /** Callback types we send. */
  public enum Type {
    PONG(1), CHANNEL_MESSAGE(4), DEFERRED_CHANNEL_MESSAGE(5), AUTOCOMPLETE_RESULT(8);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  static final int EPHEMERAL_FLAG = 1 << 6;

  public InteractionResponse {
    Objects.requireNonNull(type, "type");
    if (content != null) {
      content = MessageText.fit(content, MessageText.MAX_CONTENT);
    }
  }

  public static InteractionResponse pong() {
    return new InteractionResponse(Type.PONG, null, false);
  }

  /** A message everyone in the channel sees. */
  public static InteractionResponse message(String content) {
    return new InteractionResponse(Type.CHANNEL_MESSAGE, Objects.requireNonNull(content), false);
  }

  /** A message only the invoking user sees. */
  public static InteractionResponse ephemeral(String content) {
    return new InteractionResponse(Type.CHANNEL_MESSAGE, Objects.requireNonNull(content), true);
  }

  /** "Thinking…" now; the real answer follows as an edit of the original message. */
  public static InteractionResponse deferred(boolean ephemeral) {
    return new InteractionResponse(Type.DEFERRED_CHANNEL_MESSAGE, null, ephemeral);
  }

  /** No suggestions for an autocomplete request (we declare no autocomplete options yet). */
  public static InteractionResponse noChoices() {
    return new InteractionResponse(Type.AUTOCOMPLETE_RESULT, null, false);
  }

  public ObjectNode toJson() {
    ObjectNode root = Jackson.object().put("type", type.code());
    switch (type) {
      case PONG:
        break;
      case AUTOCOMPLETE_RESULT:
        root.putObject("data").putArray("choices");
        break;
      case DEFERRED_CHANNEL_MESSAGE:
        // With type 5 the only flag Discord accepts is EPHEMERAL.
        if (ephemeral) {
          root.putObject("data").put("flags", EPHEMERAL_FLAG);
        }
        break;
      case CHANNEL_MESSAGE:
        ObjectNode data = root.putObject("data").put("content", content);
        if (ephemeral) {
          data.put("flags", EPHEMERAL_FLAG);
        }
        data.putObject("allowed_mentions").putArray("parse");
        break;
      default:
        throw new IllegalStateException("unhandled response type " + type);
    }
    return root;
  }

  /**
   * The body of an edit that replaces a deferred "thinking…" with this message. Visibility is not in it:
   * it was fixed by the deferral.
   */
  public ObjectNode toEditJson() {
    if (content == null) {
      throw new IllegalStateException(type + " has no message to edit a reply with");
    }
    ObjectNode edit = Jackson.object().put("content", content);
    edit.putObject("allowed_mentions").putArray("parse");
    return edit;
  }

  public byte[] toJsonBytes() {
    return Jackson.bytes(toJson());
  }
}

package dev.valine.orchestrator.discord;

import java.util.Optional;

/** Discord's interaction types (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-type). */
public enum InteractionType {
  PING(1), APPLICATION_COMMAND(2), MESSAGE_COMPONENT(3), APPLICATION_COMMAND_AUTOCOMPLETE(4), MODAL_SUBMIT(5);

  private final int code;

  InteractionType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static Optional<InteractionType> of(int code) {
    for (InteractionType type : values()) {
      if (type.code == code) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}

package dev.valine.orchestrator.discord;

import java.util.List;
import java.util.Optional;

/**
 * One option of an invoked command: a parameter with a {@code value}, or a subcommand / group with
 * nested {@code options} (the two are exclusive). Values are String, Long, Double or Boolean as Discord
 * typed them.
 */
public record CommandOption(String name, int type, Object value, List<CommandOption> options) {
  public CommandOption {
    options = List.copyOf(options);
  }

  public Optional<Long> longValue() {
    return value instanceof Long number ? Optional.of(number) : Optional.empty();
  }

  public Optional<String> stringValue() {
    return value instanceof String text ? Optional.of(text) : Optional.empty();
  }
}

package dev.valine.orchestrator.command;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The bot's commands by name, in registration order; immutable once built. */
public final class CommandRegistry {
  private final Map<String, SlashCommand> commands;

  public CommandRegistry(List<SlashCommand> commands) {
    Map<String, SlashCommand> byName = new LinkedHashMap<>();
    for (SlashCommand command : commands) {
      String name = command.definition().name();
      if (byName.putIfAbsent(name, command) != null) {
        throw new IllegalArgumentException("two commands are named '" + name + "'");
      }
    }
    this.commands = java.util.Collections.unmodifiableMap(byName);
  }

  public Optional<SlashCommand> find(String name) {
    return Optional.ofNullable(commands.get(name));
  }

  public Collection<SlashCommand> all() {
    return commands.values();
  }

  public List<CommandDefinition> definitions() {
    return commands.values().stream().map(SlashCommand::definition).toList();
  }
}

package dev.valine.orchestrator.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A subcommand's arguments parsed once: {@code --name value}, {@code --name=value}, boolean switches and
 * positionals. Anything not declared is a {@link UsageException}: an unknown option, a single-dash option
 * ({@code -p 3000}), and any positional argument where the subcommand takes none.
 */
final class Options {
  private final Map<String, String> values;
  private final Set<String> switches;
  private final List<String> positionals;

  private Options(Map<String, String> values, Set<String> switches, List<String> positionals) {
    this.values = values;
    this.switches = switches;
    this.positionals = positionals;
  }

  /** For subcommands that take options only. */
  static Options parse(String subcommand, List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
    Options options = parseWithPositionals(subcommand, args, valued, flags);
    if (!options.positionals.isEmpty()) {
      throw new UsageException(subcommand + ": unexpected argument '" + options.positionals.get(0) + "' (see " + subcommand + " --help)");
    }
    return options;
  }

  /**
   * @param valued option names that take a value (without "--")
   * @param flags option names that take none
   */
  static Options parseWithPositionals(String subcommand, List<String> args, Set<String> valued, Set<String> flags)
      throws UsageException {
    Map<String, String> values = new HashMap<>();
    Set<String> switches = new java.util.HashSet<>();
    List<String> positionals = new ArrayList<>();
    java.util.Iterator<String> remaining = args.iterator();
    while (remaining.hasNext()) {
      String arg = remaining.next();
      if (arg.length() > 1 && arg.startsWith("-") && !arg.startsWith("--")) {
        throw new UsageException(subcommand + ": unknown option " + arg + "; options are spelled with two dashes, like --port (see "
            + subcommand + " --help)");
      }
      if (!arg.startsWith("--") || arg.equals("--")) {
        positionals.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String inline = null;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        inline = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      if (flags.contains(name) && inline == null) {
        switches.add(name);
      } else if (valued.contains(name)) {
        if (inline == null) {
          if (!remaining.hasNext()) {
            throw new UsageException(subcommand + ": --" + name + " needs a value");
          }
          inline = remaining.next();
        }
        values.put(name, inline);
      } else {
        throw new UsageException(subcommand + ": unknown option --" + name + " (see " + subcommand + " --help)");
      }
    }
    return new Options(values, switches, positionals);
  }

  Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  boolean has(String name) {
    return switches.contains(name);
  }

  List<String> positionals() {
    return positionals;
  }
}

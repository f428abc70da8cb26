package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.net.UrlPolicy;
import dev.valine.orchestrator.net.UrlRefusedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns a command's options into workflow inputs, refusing what the bot will not pass on. */
final class OptionChecks {
  // Git's ref rules (git-check-ref-format), loosely, as DEPLOY_REF is read: no spaces, no "..", not starting with '-'.
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}");

  private OptionChecks() {}

  /** {@code correlation_id} and {@code requester}: what every dispatch sends. */
  static Map<String, String> base(CommandContext context, DispatchTarget target) {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("correlation_id", target.correlationId());
    inputs.put("requester", context.user().username() + " (" + context.user().id() + ")");
    return inputs;
  }

  /**
   * A URL option, checked by the URL rules on its resolved addresses, in canonical form; empty when not given.
   * Resolves the host: call it in the deferred half.
   */
  static Optional<String> url(CommandContext context, String option, SafeHttp urls) throws InputRefusedException {
    Optional<String> text = string(context, option);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(urls.checkTarget(text.get()).toString());
    } catch (UrlRefusedException e) {
      // The refusal never repeats the URL, which may hold a password.
      throw new InputRefusedException("`" + option + "` is refused: " + e.getMessage());
    }
  }

  /**
   * Whether the options will pass the checks that need no name resolved: a {@code ref} of branch or tag characters,
   * URL options whose text the URL rules accept. An invocation whose options will not is refused at once, inline and
   * ephemeral, rather than deferred into a reply the whole channel sees.
   */
  static boolean wellFormed(Interaction interaction, List<String> urlOptions, UrlPolicy policy) {
    if (string(interaction, "ref").filter(ref -> !validRef(ref)).isPresent()) {
      return false;
    }
    for (String option : urlOptions) {
      Optional<String> text = string(interaction, option);
      if (text.isPresent()) {
        try {
          policy.check(text.get());
        } catch (UrlRefusedException e) {
          return false;
        }
      }
    }
    return true;
  }

  /** The {@code ref} option, or {@code fallback} when not given. */
  static String ref(CommandContext context, String fallback) throws InputRefusedException {
    Optional<String> ref = string(context, "ref");
    if (ref.isEmpty()) {
      return fallback;
    }
    String value = ref.get();
    if (!validRef(value)) {
      throw new InputRefusedException("`ref` must be a branch or tag name, like main or release/1.4 (letters, digits, "
          + "`_ . / -`, no `..`).");
    }
    return value;
  }

  private static boolean validRef(String value) {
    return REF.matcher(value).matches() && !value.contains("..") && !value.contains("//") && !value.endsWith("/")
        && !value.endsWith(".") && !value.endsWith(".lock");
  }

  private static Optional<String> string(CommandContext context, String option) {
    return string(context.interaction(), option);
  }

  private static Optional<String> string(Interaction interaction, String option) {
    return interaction.option(option).flatMap(CommandOption::stringValue).map(String::trim).filter(s -> !s.isEmpty());
  }
}

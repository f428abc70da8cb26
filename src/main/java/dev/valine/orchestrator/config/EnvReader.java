package dev.valine.orchestrator.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads typed values from an environment map and collects every problem instead of stopping at the
 * first, so one start-up attempt tells the operator everything to fix. Never puts a secret's value into
 * a problem message.
 */
final class EnvReader {
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  EnvReader(Map<String, String> env) {
    this.env = env;
  }

  /** Every variable name set, for settings that are a family of names ({@code AWS_ENDPOINT_URL_*}). */
  java.util.Set<String> names() {
    return env.keySet();
  }

  List<String> problems() {
    return problems;
  }

  void problem(String message) {
    problems.add(message);
  }

  /** The trimmed value, or empty when unset or blank (SAM passes unset optional parameters as ""). */
  Optional<String> optional(String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.trim());
  }

  Optional<String> matching(String name, Predicate<String> valid, String expected) {
    Optional<String> value = optional(name);
    if (value.isPresent() && !valid.test(value.get())) {
      problems.add(name + " must be " + expected + ", got '" + value.get() + "'");
      return Optional.empty();
    }
    return value;
  }

  Optional<Secret> secret(String name) {
    Optional<String> value = optional(name);
    if (value.isPresent() && value.get().chars().anyMatch(Character::isWhitespace)) {
      // The value is a credential: say what is wrong without echoing it.
      problems.add(name + " contains whitespace; paste the token alone, without quotes or a 'Bot '/'Bearer ' prefix");
      return Optional.empty();
    }
    return value.map(Secret::new);
  }

  boolean bool(String name, boolean fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        problems.add(name + " must be true or false, got '" + value.get() + "'");
        return fallback;
    }
  }

  int integer(String name, int fallback, int min, int max) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    problems.add(name + " must be a whole number from " + min + " to " + max + ", got '" + value.get() + "'");
    return fallback;
  }

  String httpUrl(String name, String fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    String url = value.get();
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null && uri.getUserInfo() == null) {
        // URI accepts any number of port digits; a port out of range would only fail at the first call.
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
          problems.add(name + " has port " + uri.getPort() + ", which is not a TCP port (1-65535): '" + url + "'");
          return fallback;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
          problems.add(name + " must be a base URL without '?' or '#' parts, like " + fallback + ", got '" + url + "'");
          return fallback;
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    if (url.contains("@")) {
      // Looks like user-info (user:password@host): don't echo what may be a credential.
      problems.add(name + " must not carry credentials in the URL; put the token in its own variable");
    } else {
      problems.add(name + " must be an http(s) URL like " + fallback + ", got '" + url + "'");
    }
    return fallback;
  }

  List<String> list(String name) {
    return optional(name)
        .map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /**
   * A comma list whose entries {@code parse} turns into values; each entry it rejects (with an
   * IllegalArgumentException saying why) is one problem, and the valid ones are kept.
   */
  <T> List<T> list(String name, Function<String, T> parse) {
    List<T> values = new ArrayList<>();
    for (String entry : list(name)) {
      try {
        values.add(parse.apply(entry));
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    return values;
  }
}

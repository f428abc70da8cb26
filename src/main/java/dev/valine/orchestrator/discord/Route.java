package dev.valine.orchestrator.discord;

import java.util.Objects;

/**
 * One Discord endpoint call: method, the path template that identifies it for rate limiting and logs,
 * the major parameter (channel, guild or webhook id) that splits buckets, and the concrete path.
 * {@code toString} shows the template only: concrete paths of interaction webhooks contain a token.
 */
record Route(String method, String template, String majorParameter, String path) {
  Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(majorParameter, "majorParameter");
    Objects.requireNonNull(path, "path");
  }

  String key() {
    return method + " " + template;
  }

  @Override
  public String toString() {
    return key();
  }
}

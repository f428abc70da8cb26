package dev.valine.orchestrator.ops;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Reads the run id out of a run's web address as GitHub shows it,
 * {@code https://github.com/<owner>/<repo>/actions/runs/<id>} (optionally followed by {@code /attempts/<n>},
 * {@code /job/<id>}, a trailing slash, a query or a fragment), and accepts it only for the configured
 * repository: the bot verifies its own deploys, and a link to another repository, another host, or a page that
 * is not a run is refused with a message saying what was expected. The owner and name compare case-insensitively,
 * as GitHub treats them. Nothing here touches the network.
 */
final class RunReference {
  private static final int MAX_LENGTH = 500;

  private final String repo;
  private final String webHost;

  /**
   * @param repo {@code GITHUB_REPO}, {@code owner/name}
   * @param webHost where GitHub shows the repository's pages; see {@link #webHostFor(String)}
   */
  RunReference(String repo, String webHost) {
    this.repo = repo;
    this.webHost = webHost.toLowerCase(Locale.ROOT);
  }

  /**
   * The web host that belongs to an API base: {@code github.com} for {@code https://api.github.com};
   * {@code HOST} for a GitHub Enterprise Server at {@code https://HOST/api/v3}; {@code SUB.ghe.com} for
   * {@code https://api.SUB.ghe.com}. Any other base (a test server, a proxy) is taken to front github.com.
   */
  static String webHostFor(String apiBase) {
    HttpUrl base = HttpUrl.parse(apiBase);
    if (base == null) {
      return "github.com";
    }
    String path = base.encodedPath();
    if (path.equals("/api/v3") || path.equals("/api/v3/")) {
      return base.host();
    }
    if (base.host().startsWith("api.")) {
      return base.host().substring("api.".length());
    }
    return "github.com";
  }

  /** The run id, or the refusal the user sees (it never repeats the text, which may carry anything). */
  Parsed parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.isEmpty() || trimmed.length() > MAX_LENGTH) {
      return refused("That is not a run link.");
    }
    HttpUrl url = HttpUrl.parse(trimmed);
    if (url == null) {
      return refused("That is not a link.");
    }
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      return refused("A run link never holds a user name or password; it was not used or stored.");
    }
    if (!url.isHttps()) {
      return refused("A run link starts with https://.");
    }
    if (!url.host().equals(webHost) || url.port() != 443) {
      return refused("That link is not on " + webHost + ", where this bot's repository lives.");
    }
    List<String> segments = url.pathSegments();
    int last = segments.get(segments.size() - 1).isEmpty() ? segments.size() - 1 : segments.size();
    boolean runPage = last >= 5 && segments.get(2).equals("actions") && segments.get(3).equals("runs")
        && tail(segments.subList(5, last));
    Optional<Long> id = runPage ? runId(segments.get(4)) : Optional.empty();
    if (id.isEmpty()) {
      return refused("That is not a link to a workflow run.");
    }
    String linked = segments.get(0) + "/" + segments.get(1);
    if (!linked.equalsIgnoreCase(repo)) {
      return refused("That run belongs to another repository; this bot verifies runs of `" + repo + "` only.");
    }
    return new Parsed(id, Optional.empty());
  }

  /** Nothing, {@code attempts/<n>} or {@code job/<id>}, as the run's pages have. */
  private static boolean tail(List<String> rest) {
    if (rest.isEmpty()) {
      return true;
    }
    return rest.size() == 2 && (rest.get(0).equals("attempts") || rest.get(0).equals("job")) && runId(rest.get(1)).isPresent();
  }

  private static Optional<Long> runId(String segment) {
    if (segment.isEmpty() || segment.length() > 18 || !segment.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    long id = Long.parseLong(segment);
    return id > 0 ? Optional.of(id) : Optional.empty();
  }

  private Parsed refused(String why) {
    return new Parsed(Optional.empty(), Optional.of(why + " Give a run link like `https://" + webHost + "/" + repo
        + "/actions/runs/123456789`, or use `/verify-run run_id:`."));
  }

  /** Exactly one of a run id and a refusal. */
  record Parsed(Optional<Long> runId, Optional<String> refusal) {
  }
}

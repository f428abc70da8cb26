package dev.valine.orchestrator.ops;

import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * GitHub's web pages for the repository, derived from the API base: {@code https://api.github.com} serves
 * {@code https://github.com}, a GitHub Enterprise Server's {@code https://HOST/api/v3} serves {@code https://HOST}
 * (docs: https://docs.github.com/en/enterprise-server@latest/rest/quickstart). Any other base (a test server) has
 * no known web pages, and answers name the workflow instead of linking it.
 */
final class GitHubLinks {
  private final Optional<String> web;
  private final String repo;

  private GitHubLinks(Optional<String> web, String repo) {
    this.web = web;
    this.repo = repo;
  }

  static GitHubLinks of(String apiBase, String repo) {
    HttpUrl base = HttpUrl.parse(apiBase);
    if (base == null || !base.isHttps()) {
      return new GitHubLinks(Optional.empty(), repo);
    }
    String path = base.encodedPath().replaceAll("/+$", "");
    if (base.host().equals("api.github.com") && path.isEmpty()) {
      return new GitHubLinks(Optional.of("https://github.com"), repo);
    }
    if (path.equals("/api/v3")) {
      return new GitHubLinks(Optional.of(base.newBuilder().encodedPath("/").build().toString().replaceAll("/$", "")), repo);
    }
    return new GitHubLinks(Optional.empty(), repo);
  }

  /**
   * Where the workflow's runs are listed, for when the run itself is unknown: a link when the web base is known,
   * else directions.
   */
  String runsPage(String workflow) {
    return web.map(base -> RunText.link(base + "/" + repo + "/actions"))
        .orElse("the Actions tab of " + repo + ", workflow " + RunText.name(workflow));
  }
}

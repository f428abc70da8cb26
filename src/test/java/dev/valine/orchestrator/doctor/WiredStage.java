package dev.valine.orchestrator.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.App;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.json.Jackson;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Dns;

/**
 * A stage wired right, played by one MockWebServer answering as Discord (under /discord) and as GitHub (under
 * /github), and the environment that points at it. A test breaks one answer or one variable and looks at the
 * report. Tokens are made at run time and obviously fake.
 */
final class WiredStage implements AutoCloseable {
  static final String APP = "1200000000000000000";
  static final String BOT = "1300000000000000000";
  static final String GUILD = "290926798626357999";
  static final String ROLE = "290926798626358000";
  static final String CHANNEL = "645027906669510667";
  static final String REPO = "/github/repos/octo-org/deploy-service";
  static final String DISCORD = "/discord/api/v10";
  static final String PUBLIC_HOST = "app.example.org";
  static final String PRIVATE_HOST = "internal.example.org";

  final String discordToken = "fake-discord-" + Long.toHexString(new SecureRandom().nextLong());
  final String githubToken = "fake-github-" + Long.toHexString(new SecureRandom().nextLong());
  final String publicKey = "ab".repeat(32);
  final Map<String, String> env = new HashMap<>();
  private final MockWebServer server = new MockWebServer();
  private final Map<String, MockResponse> routes = new ConcurrentHashMap<>();

  WiredStage() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return routes.getOrDefault(request.getMethod() + " " + request.getUrl().encodedPath(),
            json(404, "{\"message\":\"Not Found\",\"code\":0}"));
      }
    });
    server.start();
    env.putAll(Map.of(
        "DISCORD_API_BASE", server.url(DISCORD).toString(),
        "DISCORD_APPLICATION_ID", APP,
        "DISCORD_BOT_TOKEN", discordToken,
        "DISCORD_PUBLIC_KEY", publicKey,
        "ALERT_CHANNEL_ID", CHANNEL,
        "ENABLE_ALERTS", "true",
        "GITHUB_API_BASE", server.url("/github").toString(),
        "GITHUB_REPO", "octo-org/deploy-service",
        "GITHUB_TOKEN", githubToken,
        "STATUS_WORKFLOWS", "CI"));
    env.put("OPERATOR_USER_IDS", "111");
    discordRightly();
    githubRightly();
  }

  private void discordRightly() {
    answer("GET", DISCORD + "/users/@me", 200, "{\"id\":\"" + BOT + "\",\"username\":\"valine-ops\",\"bot\":true}");
    answer("GET", DISCORD + "/applications/@me", 200, "{\"id\":\"" + APP + "\",\"verify_key\":\"" + publicKey + "\"}");
    channel("[]");
    answer("GET", DISCORD + "/guilds/" + GUILD + "/members/" + BOT, 200, "{\"roles\":[\"" + ROLE + "\"]}");
    long everyone = ChannelPermissions.VIEW_CHANNEL;
    long botRole = ChannelPermissions.SEND_MESSAGES | ChannelPermissions.EMBED_LINKS;
    answer("GET", DISCORD + "/guilds/" + GUILD + "/roles", 200, "[{\"id\":\"" + GUILD + "\",\"permissions\":\"" + everyone + "\"},"
        + "{\"id\":\"" + ROLE + "\",\"permissions\":\"" + botRole + "\"}]");
    answer("GET", DISCORD + "/applications/" + APP + "/commands", 200, Jackson.text(definitions(true)));
  }

  /** The alert channel with these permission overwrites. */
  void channel(String overwrites) {
    answer("GET", DISCORD + "/channels/" + CHANNEL, 200, "{\"id\":\"" + CHANNEL + "\",\"name\":\"ops\",\"type\":0,\"guild_id\":\""
        + GUILD + "\",\"permission_overwrites\":" + overwrites + "}");
  }

  /** The command definitions as registration sends them to one scope. */
  ArrayNode definitions(boolean global) {
    ArrayNode array = Jackson.array();
    for (CommandDefinition definition : App.commandDefinitions(Config.fromEnvironment(env, Config.PublicKey.OPTIONAL), Clock.systemUTC())) {
      array.add(definition.toJson(global));
    }
    return array;
  }

  private void githubRightly() {
    answer("GET", REPO, 200, "{\"full_name\":\"octo-org/deploy-service\",\"private\":true,\"default_branch\":\"main\"}");
    ObjectNode page = Jackson.object().put("total_count", 3);
    page.putArray("workflows")
        .add(workflow(1, "CI", "ci.yml"))
        .add(workflow(2, "Client Deploy", "deploy.yml"))
        .add(workflow(3, "Diagnose on Demand", "diagnose.yml"));
    answer("GET", REPO + "/actions/workflows", 200, Jackson.text(page));
    workflowFile("deploy.yml", String.join("\n",
        "name: Client Deploy",
        "run-name: Deploy ${{ inputs.correlation_id }}",
        "on:",
        "  workflow_dispatch:",
        "    inputs:",
        "      correlation_id: {type: string, required: false}",
        "      requester: {type: string, required: false}",
        "      api_base: {type: string, required: false}",
        "jobs: {}"));
    workflowFile("diagnose.yml", String.join("\n",
        "name: Diagnose on Demand",
        "run-name: Diagnose ${{ inputs.correlation_id }}",
        "on:",
        "  workflow_dispatch:",
        "    inputs:",
        "      correlation_id: {type: string}",
        "      requester: {type: string}",
        "      frontend_url: {type: string}",
        "      api_base: {type: string}",
        "jobs: {}"));
    answer("GET", REPO + "/actions/variables", 200, "{\"total_count\":1,\"variables\":[]}");
  }

  /**
   * A repository variable. Only in tests that build doctor with {@link #dns()}: the CLI resolves target hosts with
   * the system's DNS, which no test may ask.
   */
  void variable(String name, String value) {
    answer("GET", REPO + "/actions/variables/" + name, 200, "{\"name\":\"" + name + "\",\"value\":\"" + value + "\"}");
  }

  private static ObjectNode workflow(long id, String name, String file) {
    return Jackson.object().put("id", id).put("name", name).put("path", ".github/workflows/" + file).put("state", "active");
  }

  /** The file on the ref the bot dispatches (main), as GitHub's contents API sends it. */
  void workflowFile(String file, String yaml) {
    String content = Base64.getMimeEncoder(60, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(yaml.getBytes(StandardCharsets.UTF_8));
    answer("GET", REPO + "/contents/.github/workflows/" + file, 200,
        Jackson.text(Jackson.object().put("type", "file").put("encoding", "base64").put("content", content)));
  }

  void answer(String method, String path, int code, String body) {
    routes.put(method + " " + path, json(code, body));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  /** Names resolve from a fixed table, so that no test asks real DNS. */
  static Dns dns() {
    return hostname -> {
      switch (hostname) {
        case PUBLIC_HOST:
          return List.of(InetAddress.getByAddress(hostname, new byte[] {93, (byte) 184, (byte) 216, 34}));
        case PRIVATE_HOST:
          return List.of(InetAddress.getByAddress(hostname, new byte[] {10, 1, 2, 3}));
        default:
          throw new UnknownHostException(hostname);
      }
    };
  }

  @Override
  public void close() {
    server.close();
  }
}

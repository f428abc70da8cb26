package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Severity;
import dev.valine.orchestrator.command.Cancellation;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.OptionType;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.net.HostPattern;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.net.UrlPolicy;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.secrets.SecretUnavailableException;
import dev.valine.orchestrator.secrets.TokenSource;
import dev.valine.orchestrator.testing.FakeTime;
import dev.valine.orchestrator.testing.GitHubFixtures;
import dev.valine.orchestrator.time.Deadline;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SetTargetCommandTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String REPO = "octo-org/deploy-service";
  private static final String VARIABLE_PATH = "/repos/" + REPO + "/actions/variables/FRONTEND_BASE_URL";
  private static final String ADMIN = "444";
  private static final String ADMIN_ROLE = "555";
  private static final String OPERATOR = "111";
  private static final String OLD = "https://old.app.test/";
  private static final String NEW = "https://app.test/v2";
  // What the fixed resolver answers: a public-looking address for the good names, forbidden ones for the others.
  private static final Map<String, String> NAMES = Map.of(
      "app.test", "93.184.215.14",
      "old.app.test", "93.184.215.15",
      "evil.test", "127.0.0.1",
      "metadata.test", "169.254.169.254",
      "intranet.test", "10.0.0.7");

  private final MockWebServer github = new MockWebServer();
  private final FakeTime time = new FakeTime(NOW);
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private final List<String> resolved = new CopyOnWriteArrayList<>();
  // Names a test moves elsewhere, over NAMES.
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Dns resolver = host -> {
    resolved.add(host);
    String address = names.getOrDefault(host, NAMES.get(host));
    if (address == null) {
      throw new UnknownHostException(host);
    }
    return List.of(InetAddress.getByName(address));
  };
  private final Permissions permissions = new Permissions(
      new OpsSettings.Grants(Set.of(OPERATOR), Set.of(), "OPERATOR_USER_IDS", "OPERATOR_ROLE_IDS"),
      new OpsSettings.Grants(Set.of(ADMIN), Set.of(ADMIN_ROLE), "ADMIN_USER_IDS", "ADMIN_ROLE_IDS"));

  @BeforeEach
  void start() throws Exception {
    github.start();
  }

  @AfterEach
  void stop() {
    github.close();
  }

  // --- the command as App would build it, on the stand-ins ---

  private SetTargetCommand frontend() {
    return frontend(true, false, List.of());
  }

  private SetTargetCommand frontend(boolean adminWrites, boolean dryRun, List<HostPattern> allowedHosts) {
    return SetTargetCommand.frontend(Optional.of(this::client), settings(adminWrites), permissions, urls(allowedHosts), dryRun);
  }

  private GitHubClient client() {
    return new GitHubClient(new OkHttpClient(), github.url("/").toString(), REPO, Optional.of(new Secret("fake-" + "variables-token")),
        "test", time);
  }

  private Supplier<SafeHttp> urls(List<HostPattern> allowedHosts) {
    return () -> new SafeHttp(new OkHttpClient(), new UrlPolicy(allowedHosts, false), resolver, 1024, time);
  }

  private static OpsSettings settings(boolean adminWrites) {
    OpsSettings defaults = OpsSettings.defaults();
    return new OpsSettings(defaults.deployWorkflow(), defaults.diagnoseWorkflow(), defaults.deployRef(), defaults.operators(),
        defaults.admins(), adminWrites, Optional.empty(), Optional.empty(), defaults.verifyFrontendPaths(), defaults.verifyApiPaths());
  }

  private static Interaction inGuild(String user, List<String> roles, String url, Boolean confirm) {
    List<CommandOption> options = new ArrayList<>();
    options.add(new CommandOption("url", OptionType.STRING.code(), url, List.of()));
    if (confirm != null) {
      options.add(new CommandOption("confirm", OptionType.BOOLEAN.code(), confirm, List.of()));
    }
    return new Interaction("1300000000000000001", "2", InteractionType.APPLICATION_COMMAND, "fake-token", Optional.of("33"),
        Optional.of("44"), Optional.of(new DiscordUser(user, "someone-" + user)), Optional.of("set-frontend"), options,
        Optional.empty(), roles);
  }

  private static Interaction byAdmin(String url, Boolean confirm) {
    return inGuild(ADMIN, List.of(), url, confirm);
  }

  private CommandContext context(Interaction interaction) {
    ExecutionTrace trace = new ExecutionTrace("trace-1", interaction.id(), "set-frontend", interaction.user().orElseThrow().id(),
        interaction.guildId(), interaction.channelId(), time, new SecretRedactor());
    return new CommandContext(interaction, interaction.user().orElseThrow(), Deadline.of(NOW, Duration.ofSeconds(30), time), trace,
        alerts::add, new Cancellation());
  }

  private static String fp(String value) {
    return Fingerprint.of(value);
  }

  private List<String> methods() throws InterruptedException {
    List<String> methods = new ArrayList<>();
    for (int i = github.getRequestCount(); i > 0; i--) {
      RecordedRequest request = github.takeRequest();
      methods.add(request.getMethod() + " " + request.getUrl().encodedPath());
    }
    return methods;
  }

  // --- previews and writes ---

  @Test
  void anAdminsPreviewShowsCurrentAndNewAndWritesNothing() throws Exception {
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", OLD));

    InteractionResponse reply = frontend().handle(context(byAdmin(NEW, null)));

    assertTrue(reply.ephemeral());
    assertEquals("Would change `FRONTEND_BASE_URL` in " + REPO + ":\n`https://old.app.test/` (fingerprint `" + fp(OLD) + "`)\n"
        + "→ `https://app.test/v2` (fingerprint `" + fp(NEW) + "`)\nNothing was written. To write it, run `/set-frontend` again with "
        + "the same `url` and `confirm:true`.", reply.content());
    assertEquals(List.of("GET " + VARIABLE_PATH), methods(), "no write request reached GitHub");
    assertEquals(List.of(), alerts);
  }

  @Test
  void confirmedByAnAdminUpdatesTheVariable() throws Exception {
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", OLD));
    github.enqueue(GitHubFixtures.noContent());
    CommandContext context = context(byAdmin(NEW, true));

    InteractionResponse reply = frontend().handle(context);

    assertEquals("✅ Changed `FRONTEND_BASE_URL` in " + REPO + ":\n`https://old.app.test/` (fingerprint `" + fp(OLD) + "`)\n"
        + "→ `https://app.test/v2` (fingerprint `" + fp(NEW) + "`)\nRun `/verify-latest` to check the new target.", reply.content());
    assertTrue(reply.ephemeral());
    assertEquals("GET", github.takeRequest().getMethod());
    RecordedRequest write = github.takeRequest();
    assertEquals("PATCH " + VARIABLE_PATH, write.getMethod() + " " + write.getUrl().encodedPath());
    assertEquals(Jackson.parse("{\"value\":\"" + NEW + "\"}"), Jackson.parse(write.getBody().utf8()));
    assertEquals(2, github.getRequestCount());
    assertEquals(Optional.of("updated"), context.progress().get(SetTargetCommand.WRITTEN));
    assertEquals(1, alerts.size());
  }

  @Test
  void setApiBaseWritesViteApiBaseAndSaysTheClientNeedsADeploy() throws Exception {
    github.enqueue(GitHubFixtures.variable("VITE_API_BASE", OLD));
    github.enqueue(GitHubFixtures.noContent());
    SetTargetCommand command = SetTargetCommand.apiBase(Optional.of(this::client), settings(true), permissions, urls(List.of()), false);

    InteractionResponse reply = command.handle(context(byAdmin(NEW, true)));

    assertTrue(reply.content().endsWith("\nRun `/verify-latest` to check the new target; the client is built with it from its next "
        + "deploy (`/deploy-client`)."), reply.content());
    String variable = "/repos/" + REPO + "/actions/variables/VITE_API_BASE";
    assertEquals(List.of("GET " + variable, "PATCH " + variable), methods());
    assertEquals("VITE_API_BASE changed: " + fp(OLD) + " → " + fp(NEW), alerts.get(0).title());
  }

  @Test
  void createsTheVariableWhenItDoesNotExistYet() throws Exception {
    github.enqueue(GitHubFixtures.error(404, "Not Found"));
    github.enqueue(GitHubFixtures.error(404, "Not Found"));
    github.enqueue(GitHubFixtures.json(201, "{}"));

    InteractionResponse reply = frontend().handle(context(byAdmin(NEW, true)));

    assertEquals("✅ Changed `FRONTEND_BASE_URL` in " + REPO + " (created):\nnot set\n→ `https://app.test/v2` (fingerprint `"
        + fp(NEW) + "`)\nRun `/verify-latest` to check the new target.", reply.content());
    assertEquals(List.of("GET " + VARIABLE_PATH, "PATCH " + VARIABLE_PATH, "POST /repos/" + REPO + "/actions/variables"), methods());
  }

  @Test
  void aValueAlreadySetIsNotWrittenAgain() throws Exception {
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", NEW));

    InteractionResponse reply = frontend().handle(context(byAdmin(NEW, true)));

    assertEquals("`FRONTEND_BASE_URL` in " + REPO + " is already `https://app.test/v2` (fingerprint `" + fp(NEW) + "`): nothing to "
        + "change.", reply.content());
    assertEquals(1, github.getRequestCount());
    assertEquals(List.of(), alerts);
  }

  @Test
  void dryRunWritesNothingAndSaysSo() throws Exception {
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", OLD));
    CommandContext context = context(byAdmin(NEW, true));

    InteractionResponse reply = frontend(true, true, List.of()).handle(context);

    assertTrue(reply.content().startsWith("Dry run (DRY_RUN=true): nothing was written. It would change `FRONTEND_BASE_URL`"),
        reply.content());
    assertTrue(reply.content().contains("fingerprint `" + fp(NEW) + "`"), reply.content());
    assertEquals(List.of("GET " + VARIABLE_PATH), methods());
    assertEquals(Map.of(), context.progress().recorded());
    assertEquals(List.of(), alerts, "nothing changed, so nothing to announce");
  }

  @Test
  void aPreviewUnderDryRunSaysConfirmingWillNotWriteEither() throws Exception {
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", OLD));

    InteractionResponse reply = frontend(true, true, List.of()).handle(context(byAdmin(NEW, null)));

    assertTrue(reply.content().endsWith("\nDRY_RUN is on: even then nothing will be written."), reply.content());
  }

  // --- who may ---

  @Test
  void refusesEvenAnAdminWhileWritesAreSwitchedOff() throws Exception {
    SetTargetCommand command = frontend(false, false, List.of());
    Interaction interaction = byAdmin(NEW, true);

    InteractionResponse reply = command.handle(context(interaction));

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().contains("`ENABLE_ADMIN_WRITES=true`"), reply.content());
    assertFalse(command.changesSomething(interaction), "a refusal is answered inline, with no claim");
    assertEquals(0, github.getRequestCount());
    assertEquals(List.of(), resolved, "not even the URL's name is looked up");
  }

  @Test
  void refusesAnyoneButAnAdminNamingTheVariablesThatGrantTheRight() throws Exception {
    Interaction byOperator = inGuild(OPERATOR, List.of(), NEW, true);

    InteractionResponse reply = frontend().handle(context(byOperator));

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().startsWith("Only admins may change the deploy targets."), reply.content());
    assertTrue(reply.content().contains("`ADMIN_USER_IDS`") && reply.content().contains("`ADMIN_ROLE_IDS`"), reply.content());
    assertFalse(frontend().changesSomething(byOperator));
    assertEquals(0, github.getRequestCount());
  }

  @Test
  void letsAMemberOfAnAdminRoleWrite() throws Exception {
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", OLD));
    github.enqueue(GitHubFixtures.noContent());

    InteractionResponse reply = frontend().handle(context(inGuild("999", List.of(ADMIN_ROLE), NEW, true)));

    assertTrue(reply.content().startsWith("✅ Changed"), reply.content());
  }

  @Test
  void refusesInADirectMessage() throws Exception {
    Interaction inDm = new Interaction("1300000000000000001", "2", InteractionType.APPLICATION_COMMAND, "fake-token", Optional.empty(),
        Optional.of("44"), Optional.of(new DiscordUser(ADMIN, "admin")), Optional.of("set-frontend"),
        List.of(new CommandOption("url", OptionType.STRING.code(), NEW, List.of()),
            new CommandOption("confirm", OptionType.BOOLEAN.code(), true, List.of())), Optional.empty());

    InteractionResponse reply = frontend().handle(context(inDm));

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().contains("in a server channel"), reply.content());
    assertFalse(frontend().changesSomething(inDm));
    assertEquals(0, github.getRequestCount());
  }

  @Test
  void changesSomethingOnlyWhenConfirmed() {
    SetTargetCommand command = frontend();

    assertTrue(command.changesSomething(byAdmin(NEW, true)));
    assertFalse(command.changesSomething(byAdmin(NEW, false)));
    assertFalse(command.changesSomething(byAdmin(NEW, null)));
  }

  @Test
  void isAGuildCommandWithARequiredUrlAndAnOptionalConfirm() {
    CommandDefinition definition = frontend().definition();

    assertEquals("set-frontend", definition.name());
    assertTrue(definition.guildOnly());
    assertEquals(List.of("url", "confirm"), definition.options().stream().map(o -> o.name()).toList());
    assertTrue(definition.options().get(0).required());
    assertFalse(definition.options().get(1).required());
    assertEquals("set-api-base", SetTargetCommand.apiBase(Optional.empty(), settings(true), permissions, urls(List.of()), false)
        .definition().name());
  }

  // --- the URL rules, before anything is written ---

  static Stream<Arguments> refusedUrls() {
    // Built at run time: the secret scanner flags credential-bearing URL literals.
    String withCredentials = "https://" + "deployer" + ":" + "fake-password" + "@app.test/";
    return Stream.of(
        Arguments.of("http://app.test/", "use https"),
        Arguments.of(withCredentials, "must not contain a user name or password"),
        Arguments.of("https://evil.test/", "127.0.0.1"),
        Arguments.of("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        Arguments.of("https://metadata.test/", "169.254.169.254"),
        Arguments.of("https://intranet.test/", "10.0.0.7"),
        Arguments.of("not a url", "not a full URL"));
  }

  @ParameterizedTest
  @MethodSource("refusedUrls")
  void refusesAUrlTheRulesRefuseBeforeAskingGitHub(String url, String because) throws Exception {
    InteractionResponse reply = frontend().handle(context(byAdmin(url, true)));

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().startsWith("Nothing was written: "), reply.content());
    assertTrue(reply.content().contains(because), reply.content());
    assertFalse(reply.content().contains("fake-password"), reply.content());
    assertEquals(0, github.getRequestCount());
    assertEquals(List.of(), alerts);
  }

  @Test
  void refusesAHostOutsideAllowedTargetDomains() throws Exception {
    SetTargetCommand command = frontend(true, false, List.of(HostPattern.parse("*.example.com")));

    InteractionResponse reply = command.handle(context(byAdmin(NEW, true)));

    assertTrue(reply.content().startsWith("Nothing was written: app.test is not in ALLOWED_TARGET_DOMAINS"), reply.content());
    assertEquals(0, github.getRequestCount());
  }

  // --- the record of a change ---

  @Test
  void announcesAChangeWithWhoOldAndNewFingerprintAndHostButNoQueryString() throws Exception {
    String withKey = "https://app.test/v2?key=" + "fake-query-key";
    String oldWithKey = OLD + "?token=" + "fake-old-key";
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", oldWithKey));
    github.enqueue(GitHubFixtures.noContent());

    InteractionResponse reply = frontend().handle(context(byAdmin(withKey, true)));

    assertEquals(1, alerts.size());
    Alert alert = alerts.get(0);
    assertEquals(Severity.INFO, alert.severity());
    assertEquals("FRONTEND_BASE_URL changed: " + fp(oldWithKey) + " → " + fp(withKey), alert.title());
    assertEquals("someone-444 changed the repository variable `FRONTEND_BASE_URL` in " + REPO + " with /set-frontend.\n"
        + "from `https://old.app.test/?…` (fingerprint `" + fp(oldWithKey) + "`)\n"
        + "to `https://app.test/v2?…` (fingerprint `" + fp(withKey) + "`)\n"
        + "host: old.app.test → app.test", alert.detail());
    assertEquals(Optional.of(ADMIN), alert.userId());
    assertEquals(Optional.of("set-frontend"), alert.command());
    for (String shown : List.of(alert.title(), alert.detail(), reply.content())) {
      assertFalse(shown.contains("key="), shown);
      assertFalse(shown.contains("fake-"), shown);
    }
    RecordedRequest read = github.takeRequest();
    assertEquals("GET", read.getMethod());
    assertEquals(Jackson.parse("{\"value\":\"" + withKey + "\"}"), Jackson.parse(github.takeRequest().getBody().utf8()),
        "the whole value is written");
  }

  @Test
  void aTokenThatCannotWriteVariablesGetsAClearAnswerAndAnErrorAlert() throws Exception {
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", OLD));
    github.enqueue(GitHubFixtures.error(403, "Resource not accessible by personal access token"));
    CommandContext context = context(byAdmin(NEW, true));

    InteractionResponse reply = frontend().handle(context);

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().startsWith("I could not change `FRONTEND_BASE_URL` in " + REPO + ": GitHub refused access"),
        reply.content());
    assertTrue(reply.content().contains("The token needs write access to Variables (a fine-grained token needs Variables \"Read and write\""),
        reply.content());
    assertEquals(1, alerts.size());
    assertEquals(Severity.ERROR, alerts.get(0).severity());
    assertEquals("Repository variable write failed", alerts.get(0).title());
    assertEquals(Optional.of("GitHub FORBIDDEN"), alerts.get(0).errorType());
    assertEquals(Optional.empty(), context.progress().get(SetTargetCommand.WRITTEN));
    assertEquals(2, github.getRequestCount(), "a refused update is not followed by a create");
  }

  @Test
  void aPreviewThatCannotReadTheVariableSaysWhy() throws Exception {
    github.enqueue(GitHubFixtures.error(403, "Resource not accessible by personal access token"));

    InteractionResponse reply = frontend().handle(context(byAdmin(NEW, null)));

    assertTrue(reply.content().startsWith("I could not read `FRONTEND_BASE_URL` in " + REPO + ", so nothing was written: GitHub "
        + "refused access"), reply.content());
    assertEquals(1, github.getRequestCount());
    assertEquals(Severity.ERROR, alerts.get(0).severity());
  }

  /** The team must fix an unreadable secret (RUNBOOK.md 4.14), as it must a token GitHub rejects: it is alerted. */
  @Test
  void aSecretThatCannotBeReadWritesNothingNamesTheSecretAndAlertsTheTeam() throws Exception {
    TokenSource unreadable = new TokenSource() {
      @Override
      public Optional<Secret> token() {
        throw new SecretUnavailableException("valine/test", "AccessDeniedException", "Secrets Manager refused GetSecretValue");
      }

      @Override
      public boolean renew(Secret rejected) {
        return false;
      }

      @Override
      public String origin() {
        return "secret valine/test (key githubToken)";
      }
    };
    SetTargetCommand command = SetTargetCommand.frontend(Optional.of(() -> new GitHubClient(new OkHttpClient(), github.url("/").toString(),
        REPO, unreadable, "test", time)), settings(true), permissions, urls(List.of()), false);

    InteractionResponse reply = command.handle(context(byAdmin(NEW, true)));

    assertTrue(reply.ephemeral());
    assertTrue(reply.content().startsWith("I could not read `FRONTEND_BASE_URL` in " + REPO + ", so nothing was written: I could not "
        + "read my credentials (secret `valine/test`: AccessDeniedException)"), reply.content());
    assertEquals(0, github.getRequestCount());
    assertEquals(1, alerts.size(), alerts.toString());
    assertEquals(Optional.of("GitHub CREDENTIALS_UNAVAILABLE"), alerts.get(0).errorType());
  }

  // --- a job retried after a crash ---

  private CommandContext afterAnAttemptThatAskedForTheWrite(Interaction interaction) throws Exception {
    CommandContext context = context(interaction);
    context.progress().record(SetTargetCommand.WRITE_REQUESTED,
        SetTargetCommand.Before.of(Optional.of(new TargetValue(OLD))).toJson());
    return context;
  }

  @Test
  void aRetriedJobWhoseWriteWasRecordedReportsItAndWritesNothing() throws Exception {
    CommandContext context = afterAnAttemptThatAskedForTheWrite(byAdmin(NEW, true));
    context.progress().record(SetTargetCommand.WRITTEN, "updated");

    InteractionResponse reply = frontend().handle(context);

    assertEquals("✅ Changed `FRONTEND_BASE_URL` in " + REPO + " (by an earlier attempt of this command):\n`https://old.app.test/` "
        + "(fingerprint `" + fp(OLD) + "`)\n→ `https://app.test/v2` (fingerprint `" + fp(NEW) + "`)\nRun `/verify-latest` to check "
        + "the new target.", reply.content());
    assertEquals(0, github.getRequestCount());
    assertEquals(List.of(), alerts, "the earlier attempt announced it");
  }

  @Test
  void aRetriedJobReportsTheEarlierWriteEvenWhenTheNameNowResolvesWhereTheRulesRefuse() throws Exception {
    CommandContext context = afterAnAttemptThatAskedForTheWrite(byAdmin(NEW, true));
    context.progress().record(SetTargetCommand.WRITTEN, "updated");
    names.put("app.test", "127.0.0.1");

    InteractionResponse reply = frontend().handle(context);

    assertTrue(reply.content().startsWith("✅ Changed `FRONTEND_BASE_URL`"), reply.content());
    assertEquals(List.of(), resolved, "a resume writes nothing, so it checks nothing");
  }

  @Test
  void aRetriedJobThatFindsTheValueWrittenReportsAndAnnouncesItOnce() throws Exception {
    CommandContext context = afterAnAttemptThatAskedForTheWrite(byAdmin(NEW, true));
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", NEW));

    InteractionResponse reply = frontend().handle(context);

    assertTrue(reply.content().startsWith("✅ Changed `FRONTEND_BASE_URL` in " + REPO + " (by an earlier attempt of this command, "
        + "read back now)"), reply.content());
    assertEquals(List.of("GET " + VARIABLE_PATH), methods());
    assertEquals(1, alerts.size());
    assertEquals("FRONTEND_BASE_URL changed: " + fp(OLD) + " → " + fp(NEW), alerts.get(0).title());
    assertTrue(context.progress().get(SetTargetCommand.WRITTEN).isPresent());
  }

  @Test
  void aRetriedJobThatDoesNotFindTheValueWritesNothingAndSaysSo() throws Exception {
    CommandContext context = afterAnAttemptThatAskedForTheWrite(byAdmin(NEW, true));
    github.enqueue(GitHubFixtures.variable("FRONTEND_BASE_URL", OLD));

    InteractionResponse reply = frontend().handle(context);

    assertEquals("An earlier attempt of this command stopped after asking GitHub to change `FRONTEND_BASE_URL`, and it may not have "
        + "written it: the variable is now `https://old.app.test/` (fingerprint `" + fp(OLD) + "`). Nothing was written now; run "
        + "`/set-frontend` again to try once more.", reply.content());
    assertEquals(List.of("GET " + VARIABLE_PATH), methods(), "no second write");
    assertEquals(List.of(), alerts);
  }
}

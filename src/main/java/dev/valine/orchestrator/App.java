package dev.valine.orchestrator;

import dev.valine.orchestrator.alert.AlertDeduplicator;
import dev.valine.orchestrator.alert.AlertService;
import dev.valine.orchestrator.alert.Deduplicator;
import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.command.ClaimStore;
import dev.valine.orchestrator.command.Claims;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.CommandDispatcher;
import dev.valine.orchestrator.command.CommandRegistry;
import dev.valine.orchestrator.command.CommandRunner;
import dev.valine.orchestrator.command.DeferredJob;
import dev.valine.orchestrator.command.DeferredJobRunner;
import dev.valine.orchestrator.command.JobLauncher;
import dev.valine.orchestrator.command.MemoryClaimStore;
import dev.valine.orchestrator.command.ReplyEditor;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.command.DebugLastCommand;
import dev.valine.orchestrator.command.StatusCommand;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.ConfigException;
import dev.valine.orchestrator.deferral.DiscordReplyEditor;
import dev.valine.orchestrator.deferral.DryRunReplyEditor;
import dev.valine.orchestrator.deferral.LambdaJobLauncher;
import dev.valine.orchestrator.deferral.LocalJobLauncher;
import dev.valine.orchestrator.deferral.LambdaAsyncInvoker;
import dev.valine.orchestrator.discord.DiscordClient;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.discord.RetryPolicy;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.net.UrlPolicy;
import dev.valine.orchestrator.net.UrlRefusedException;
import dev.valine.orchestrator.ops.SetTargetCommand;
import dev.valine.orchestrator.ops.VerifyLatestCommand;
import dev.valine.orchestrator.ops.VerifyRunCommand;
import dev.valine.orchestrator.ops.WorkflowDiagnoseStarter;
import dev.valine.orchestrator.ops.DeployClientCommand;
import dev.valine.orchestrator.ops.DiagnoseCommand;
import dev.valine.orchestrator.ops.Permissions;
import dev.valine.orchestrator.digest.StatusDigestCommand;
import dev.valine.orchestrator.digest.ScheduledDigest;
import dev.valine.orchestrator.digest.DigestService;
import dev.valine.orchestrator.discord.InteractionParser;
import dev.valine.orchestrator.discord.SignatureVerifier;
import dev.valine.orchestrator.endpoint.InteractionEndpoint;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.observability.EmfMetrics;
import dev.valine.orchestrator.observability.InMemoryTraceStore;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.Observability;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.TraceIds;
import dev.valine.orchestrator.observability.TraceStore;
import dev.valine.orchestrator.observability.Tracing;
import dev.valine.orchestrator.observability.XRayTracing;
import dev.valine.orchestrator.secrets.Tokens;
import dev.valine.orchestrator.state.DynamoAlertDeduplicator;
import dev.valine.orchestrator.state.DynamoClaimStore;
import dev.valine.orchestrator.state.DynamoTraceStore;
import dev.valine.orchestrator.state.FallbackDeduplicator;
import dev.valine.orchestrator.state.FallbackTraceStore;
import dev.valine.orchestrator.state.StateClients;
import dev.valine.orchestrator.state.StateTable;
import dev.valine.orchestrator.time.Sleeper;
import dev.valine.orchestrator.util.Lazy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The object graph of one container, wired by constructors from {@link Config}: built once by the Lambda
 * handler and by {@code serve}, and by tests with their own config and clock. Nothing here is static.
 */
public final class App {
  /** The jar's version, from its manifest; "dev" when running from classes. */
  // What a fetch of a deploy target reads at most: its status and headers matter, not its body.
  private static final long TARGET_BODY_BYTES = 64 * 1024;
  private static final Duration DIGEST_POST_BUDGET = Duration.ofSeconds(10);
  public static final String VERSION = Optional.ofNullable(App.class.getPackage().getImplementationVersion()).orElse("dev");
  // Claims this container keeps when no table is configured or the table fails: interactions, jobs and
  // alert hand-offs of the last half hour or so, a few hundred bytes each. Far more than real traffic
  // fills; a full memory refuses commands that change something and runs read-only ones unclaimed.
  private static final int CLAIM_CAPACITY = 65_536;
  private static final int LOCAL_JOB_WORKERS = 4;
  private static final int LOCAL_JOB_QUEUE = 64;
  private static final int ALERT_FINGERPRINTS = 1_000;
  // Commands running at once in this process: serve's HTTP workers, each with a command and a preparation,
  // and room for given-up attempts still winding down. Past it, a command is answered "busy".
  private static final int COMMAND_WORKERS = 64;

  private final Config config;
  private final CommandRegistry commands;
  private final TraceStore traces;
  private final Lazy<DiscordClient> discord;
  private final Alerter alerts;
  private final InteractionEndpoint endpoint;
  private final JobLauncher launcher;
  private final DeferredJobRunner jobs;
  private final Metrics metrics;
  private final Lazy<OkHttpClient> http;
  private final AwsEnvironment aws;
  private final Lazy<DynamoDbClient> dynamo;
  private final Deduplicator dedup;
  private final Supplier<Tracing> tracing;
  private final Claims claims;
  private final ScheduledDigest scheduledDigest;
  private final Tokens tokens;

  /**
   * @throws ConfigException if the public key is missing or not a valid Ed25519 key
   */
  public App(Config config, Clock clock) {
    this(config, clock, defaultTracing(config.lambda().variables()), defaultLaunchers(config.lambda().variables()),
        new AwsEnvironment(config.lambda().variables()));
  }

  /** With AWS as this process's environment describes it (region, credentials, endpoint overrides). */
  public App(Config config, Clock clock, Supplier<Tracing> tracing, Function<Consumer<DeferredJob>, JobLauncher> launchers) {
    this(config, clock, tracing, launchers, new AwsEnvironment(config.lambda().variables()));
  }

  /**
   * @param tracing built on the first command, never on the PING path
   * @param launchers where deferred jobs go, given the runner that finishes a job in this process
   * @param aws where and as whom to reach DynamoDB when {@code TRACE_TABLE_NAME} is set
   */
  public App(Config config, Clock clock, Supplier<Tracing> tracing, Function<Consumer<DeferredJob>, JobLauncher> launchers,
      AwsEnvironment aws) {
    this(config, clock, tracing, launchers, aws,
        config.metricsEnabled() ? new EmfMetrics(System.out, clock, config.stage().id()) : Metrics.NONE, StateClients.REPLY_PATH);
  }

  /**
   * For SnapStart priming's throwaway app, which watches its own metrics and, loading classes rather than
   * answering Discord, gives DynamoDB more time than the reply path has.
   *
   * @param metrics in place of the ones {@code ENABLE_METRICS} chooses
   * @param sharedState the DynamoDB client's limits
   */
  App(Config config, Clock clock, Supplier<Tracing> tracing, Function<Consumer<DeferredJob>, JobLauncher> launchers,
      AwsEnvironment aws, Metrics metrics, CallLimits sharedState) {
    this(config, clock, tracing, launchers, aws, metrics, sharedState, List.of());
  }

  /**
   * For SnapStart priming's throwaway app, whose read of its stand-in secret also gets time to spare.
   *
   * @param secretReads the Secrets Manager client's limits
   */
  App(Config config, Clock clock, Supplier<Tracing> tracing, Function<Consumer<DeferredJob>, JobLauncher> launchers,
      AwsEnvironment aws, Metrics metrics, CallLimits sharedState, CallLimits secretReads) {
    this(config, clock, Sleeper.SYSTEM, tracing, launchers, aws, metrics, sharedState, List.of(), Tokens.forApp(config, aws, clock,
        secretReads));
  }

  /**
   * @param moreCommands commands beyond the bot's own, for tests: until the bot has a command that
   *     changes something, the claim tests bring their own
   */
  App(Config config, Clock clock, Supplier<Tracing> tracing, Function<Consumer<DeferredJob>, JobLauncher> launchers,
      AwsEnvironment aws, Metrics metrics, CallLimits sharedState, List<SlashCommand> moreCommands) {
    this(config, clock, Sleeper.SYSTEM, tracing, launchers, aws, metrics, sharedState, moreCommands);
  }

  /**
   * @param sleeper how a command waits between polls of a run it follows: tests pass one that moves their clock
   */
  App(Config config, Clock clock, Sleeper sleeper, Supplier<Tracing> tracing, Function<Consumer<DeferredJob>, JobLauncher> launchers,
      AwsEnvironment aws, Metrics metrics, CallLimits sharedState, List<SlashCommand> moreCommands) {
    this(config, clock, sleeper, tracing, launchers, aws, metrics, sharedState, moreCommands, Tokens.forApp(config, aws, clock, Tokens.READS));
  }

  /**
   * @param tokens where the bot and GitHub tokens come from: the environment, else the secret {@code SECRET_ID} names,
   *     read on first use (never on the PING path)
   */
  App(Config config, Clock clock, Sleeper sleeper, Supplier<Tracing> tracing, Function<Consumer<DeferredJob>, JobLauncher> launchers,
      AwsEnvironment aws, Metrics metrics, CallLimits sharedState, List<SlashCommand> moreCommands, Tokens tokens) {
    this.config = config;
    this.tokens = tokens;
    SignatureVerifier verifier = verifier(config, clock);
    // One HTTP client per container, built on the first outbound call rather than at cold start.
    this.http = new Lazy<>(() -> new OkHttpClient.Builder()
        // No fixed read timeout: every call's timeout is what its command's budget has left, inline or deferred.
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ZERO)
        .build());
    this.metrics = metrics;
    // Shared state in DynamoDB when a table is configured, with this container's memory under it. The
    // client and the stores are built on first use: their bytecode names SDK types, which a PING must not load.
    this.aws = aws;
    this.dynamo = new Lazy<>(new StateClients.Factory(aws, sharedState));
    InMemoryTraceStore memory = new InMemoryTraceStore(config.traceStoreCapacity());
    this.traces = config.traceTable()
        .<TraceStore>map(table -> new FallbackTraceStore(
            new Lazy<>(() -> new DynamoTraceStore(dynamo, table, config.traceRetention(), clock)),
            () -> dynamo.ifBuilt().isPresent(), memory, metrics))
        .orElse(memory);
    AlertDeduplicator localDedup = new AlertDeduplicator(clock, config.alertDedupWindow(), ALERT_FINGERPRINTS);
    this.dedup = config.traceTable()
        .<Deduplicator>map(table -> new FallbackDeduplicator(
            new Lazy<>(() -> new DynamoAlertDeduplicator(dynamo, table, config.alertDedupWindow(), clock)), localDedup, metrics))
        .orElse(localDedup);
    // Once per interaction: claims in the table with the rest of the shared state, else in this container.
    this.claims = new Claims(config.traceTable().<Supplier<ClaimStore>>map(table -> new Lazy<>(() -> new DynamoClaimStore(dynamo, table,
        clock))), () -> dynamo.ifBuilt().isPresent(), new MemoryClaimStore(CLAIM_CAPACITY, clock), Claims.retention(config.signatureMaxAge()),
        clock, metrics);
    this.tracing = new Lazy<>(tracing);
    Observability observability = new Observability(traces, this.tracing, new SecretRedactor(), config.stage().id(), metrics);
    this.discord = new Lazy<>(() -> new DiscordClient(http.get(), config.discordApiBase(), tokens.discord(), VERSION, clock,
        Sleeper.SYSTEM, new Random(), RetryPolicy.DEFAULT));
    this.alerts = alerter(config, discord, dedup, clock, metrics);
    Optional<Supplier<GitHubClient>> github = github(config, tokens, http, clock);
    DigestService digests = new DigestService(github, config.statusWorkflows(), config.stage().id(), clock);
    this.commands = withMore(registry(config, clock, sleeper, http, github, digests, observability), moreCommands);
    this.scheduledDigest = new ScheduledDigest(digests, config.dailyDigest(), config.dailyDigestRule(), digestChannel(config, discord),
        claims::claimOnce, clock);
    // The launcher may run jobs in this process, through the runner built below from the same dispatcher.
    this.launcher = launchers.apply(job -> jobs().run(job));
    CommandDispatcher dispatcher = new CommandDispatcher(commands,
        new CommandDispatcher.Timing(config.commandBudget(), config.deferredTimeout()), clock, TraceIds::forCommand,
        observability, alerts, new CommandRunner(new Lazy<>(() -> CommandRunner.defaultWorkers(COMMAND_WORKERS))), launcher, claims);
    InteractionParser parser = new InteractionParser();
    ReplyEditor editor = config.dryRun() ? new DryRunReplyEditor() : new DiscordReplyEditor(discord, clock, Sleeper.SYSTEM);
    this.jobs = new DeferredJobRunner(verifier, parser, dispatcher, editor, claims, alerts, metrics, clock);
    this.endpoint = new InteractionEndpoint(verifier, parser, dispatcher, metrics, clock);
  }

  /**
   * Deferred jobs go to an asynchronous invocation of this function in Lambda — through the alias named
   * by {@code DEFERRED_JOB_QUALIFIER}, else the running version — and to a worker pool of this process
   * anywhere else ({@code serve}, tests). Neither builds anything until used.
   */
  public static Function<Consumer<DeferredJob>, JobLauncher> defaultLaunchers(Map<String, String> env) {
    String functionName = env.get("AWS_LAMBDA_FUNCTION_NAME");
    if (functionName == null) {
      return runner -> new LocalJobLauncher(runner, LOCAL_JOB_WORKERS, LOCAL_JOB_QUEUE);
    }
    // The alias the template names (so its retry and event-age settings apply), else the running version.
    Optional<String> qualifier = Optional.ofNullable(env.get("DEFERRED_JOB_QUALIFIER")).filter(q -> !q.isBlank())
        .or(() -> Optional.ofNullable(env.get("AWS_LAMBDA_FUNCTION_VERSION")));
    return runner -> new LambdaJobLauncher(new Lazy<>(() -> LambdaAsyncInvoker.fromEnvironment(new AwsEnvironment(env))), functionName, qualifier);
  }

  /** ENABLE_ALERTS=false: none; DRY_RUN=true: logged; else posted to the ops channel. */
  private static Alerter alerter(Config config, Supplier<DiscordClient> discord, Deduplicator dedup, Clock clock, Metrics metrics) {
    if (!config.alertsEnabled()) {
      return Alerter.NONE;
    }
    String channel = config.alertChannelId().orElse("(ALERT_CHANNEL_ID not set)");
    if (config.dryRun()) {
      return AlertService.dryRun(channel, dedup, config.stage().id(), clock, metrics);
    }
    return AlertService.toDiscord(discord, channel, dedup, config.stage().id(), clock, metrics);
  }

  /** The container's GitHub client, built on first use; empty without {@code GITHUB_REPO}. */
  private static Optional<Supplier<GitHubClient>> github(Config config, Tokens tokens, Supplier<OkHttpClient> http, Clock clock) {
    return config.githubRepo().map(repo -> new Lazy<>(() -> new GitHubClient(
        http.get(), config.githubApiBase(), repo, tokens.github(), "valine-orchestrator/" + VERSION, clock, artifactStorage(config),
        Optional.of(artifactStorageClient(config, http.get(), clock)))));
  }

  /** The client that fetches artifact storage: every resolved address and socket checked by the same rules. */
  private static OkHttpClient artifactStorageClient(Config config, OkHttpClient shared, Clock clock) {
    return new SafeHttp(shared, storagePolicy(config), 0, clock).guardedClient();
  }

  private static UrlPolicy storagePolicy(Config config) {
    return new UrlPolicy(List.of(), config.allowPrivateTargets());
  }

  /**
   * Where GitHub may send an artifact download: the URL rules of docs/security.md on the URL's text (https, no
   * credentials, no private or metadata address written as an IP; the storage client checks the resolved
   * addresses), and plain http to this machine only with
   * {@code ALLOW_PRIVATE_TARGETS} in dev, for the local stand-in. Not {@code ALLOWED_TARGET_DOMAINS}: that lists
   * the hosts a user may name, and GitHub's storage is none of them.
   */
  private static Predicate<HttpUrl> artifactStorage(Config config) {
    UrlPolicy storage = storagePolicy(config);
    return url -> {
      try {
        storage.check(url);
        return true;
      } catch (UrlRefusedException e) {
        return false;
      }
    };
  }

  /**
   * The bot's commands. Nothing they call is built here: the GitHub client, the URL-checking HTTP client and
   * the rest are built on the first command that needs them.
   */
  private static CommandRegistry registry(Config config, Clock clock, Sleeper sleeper, Supplier<OkHttpClient> http,
      Optional<Supplier<GitHubClient>> github, DigestService digests, Observability observability) {
    Metrics metrics = observability.metrics();
    // Every URL the bot fetches or hands on passes the rules of docs/security.md through this client.
    Supplier<SafeHttp> urls = new Lazy<>(() -> new SafeHttp(http.get(), config.urlPolicy(), TARGET_BODY_BYTES, clock));
    Permissions permissions = Permissions.of(config.ops());
    return new CommandRegistry(List.of(
        new StatusCommand(github, config.statusWorkflows(), config.stage().id(), clock),
        new DebugLastCommand(observability.traces(), config.debugCommandEnabled(), config.stage().id(),
            observability.redactor(), clock),
        new StatusDigestCommand(digests),
        new DeployClientCommand(github, config.githubApiBase(), config.dryRun(), config.ops(), permissions, urls, metrics, clock, sleeper),
        new DiagnoseCommand(github, config.githubApiBase(), config.dryRun(), config.ops(), permissions, urls, metrics, clock, sleeper),
        new VerifyLatestCommand(github, config.githubApiBase(), config.ops(), permissions, urls,
            new WorkflowDiagnoseStarter(github, config.githubApiBase(), config.dryRun(), config.ops(), metrics, clock), metrics, clock),
        new VerifyRunCommand(github, config.ops(), urls, metrics, clock),
        SetTargetCommand.frontend(github, config.ops(), permissions, urls, config.dryRun()),
        SetTargetCommand.apiBase(github, config.ops(), permissions, urls, config.dryRun())));
  }

  /** Where the scheduled digest goes: the ops channel, or the log with {@code DRY_RUN}. */
  private static ScheduledDigest.Channel digestChannel(Config config, Supplier<DiscordClient> discord) {
    if (config.dryRun()) {
      return text -> LoggerFactory.getLogger(ScheduledDigest.class).info("dry-run: would post the daily digest",
          net.logstash.logback.argument.StructuredArguments.kv("content", text));
    }
    return text -> discord.get().createMessage(config.alertChannelId().orElseThrow(() -> new IllegalStateException(
        "ALERT_CHANNEL_ID is not set: the daily digest has nowhere to go")), InteractionResponse.message(text).toEditJson(), DIGEST_POST_BUDGET);
  }

  private static CommandRegistry withMore(CommandRegistry own, List<SlashCommand> more) {
    if (more.isEmpty()) {
      return own;
    }
    List<SlashCommand> all = new java.util.ArrayList<>(own.all());
    all.addAll(more);
    return new CommandRegistry(all);
  }

  /** The definitions registration sends, without building a verifier or any client. */
  public static List<CommandDefinition> commandDefinitions(Config config, Clock clock) {
    Observability inert = new Observability(new InMemoryTraceStore(1), () -> Tracing.NONE, new SecretRedactor(), config.stage().id());
    Supplier<OkHttpClient> none = () -> {
      throw new IllegalStateException("definitions make no HTTP calls");
    };
    Optional<Supplier<GitHubClient>> github = github(config, Tokens.fromEnvironment(config), none, clock);
    return registry(config, clock, Sleeper.SYSTEM, none, github,
        new DigestService(github, config.statusWorkflows(), config.stage().id(), clock), inert).definitions();
  }

  /**
   * Whether to trace with X-Ray: in Lambda with active tracing, the runtime provides the daemon address.
   * Decided here, not in {@code XRayTracing}: touching that class would load the X-Ray SDK on the PING path.
   */
  static boolean xrayActive(Map<String, String> env) {
    return env.containsKey("AWS_LAMBDA_FUNCTION_NAME") && env.containsKey("AWS_XRAY_DAEMON_ADDRESS");
  }

  /** X-Ray in Lambda with active tracing; nothing (and no SDK loaded) anywhere else. */
  public static Supplier<Tracing> defaultTracing(Map<String, String> env) {
    if (!xrayActive(env)) {
      return () -> Tracing.NONE;
    }
    return () -> {
      try {
        return XRayTracing.forLambda();
      } catch (RuntimeException | LinkageError e) {
        LoggerFactory.getLogger(App.class).warn("X-Ray tracing unavailable; commands run untraced", e);
        return Tracing.NONE;
      }
    };
  }

  /**
   * Builds what the first command would otherwise build: the shared HTTP client (TLS trust store), in
   * Lambda the deferral's {@code LambdaClient} with its credentials (no invoke), and with {@code
   * TRACE_TABLE_NAME} the {@code DynamoDbClient} with one read of the table (credentials, TLS to DynamoDB
   * and a pooled connection), and with {@code SECRET_ID} the Secrets Manager client, which reads nothing: a
   * token must never be part of the snapshot. For SnapStart priming, before the snapshot.
   */
  public void prime() {
    http.get();
    tokens.prepare();
    // The X-Ray recorder, when this function traces (building it is X-Ray's share of a first command).
    tracing.get();
    launcher.prepare();
    traces.prepare();
  }

  /**
   * {@code serve} only: creates the {@code TRACE_TABLE_NAME} table if it is missing (in Lambda the
   * template owns it). Empty when no table is configured.
   *
   * @return whether the table was created
   */
  public Optional<Boolean> ensureStateTable() throws InterruptedException {
    if (config.traceTable().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(StateTable.ensureExists(aws, config.traceTable().get()));
  }

  /**
   * After a SnapStart restore: connections opened before the snapshot point at peers that are gone or
   * belong to another copy of this container, so OkHttp's are dropped; new ones open on first use. The
   * AWS clients' connections sit in the JDK's keep-alive cache, which no hook can reach: it never hands
   * out a connection idle for longer than its keep-alive time (5 s unless the server says otherwise),
   * so only a restore within seconds of the snapshot could meet one, and a connection that fails is an
   * I/O error that the SDK retries on a new one inside the call's limits.
   */
  public void afterRestore() {
    http.ifBuilt().ifPresent(client -> client.connectionPool().evictAll());
    // Nothing was read before the snapshot (prime reads no secret); should anything have been, it is forgotten here.
    tokens.afterRestore();
  }

  /** Where the bot and GitHub tokens come from. */
  public Tokens tokens() {
    return tokens;
  }

  /** Runs deferred jobs delivered to this container. */
  public DeferredJobRunner jobs() {
    return jobs;
  }

  /** Where this container sends deferred jobs. */
  public JobLauncher launcher() {
    return launcher;
  }

  /** The container's metrics: EMF lines on stdout, or none with {@code ENABLE_METRICS=false}. */
  public Metrics metrics() {
    return metrics;
  }

  public TraceStore traces() {
    return traces;
  }

  /** Who decides whether an alert goes out: the shared table's windows with {@code TRACE_TABLE_NAME}, else this container's. */
  Deduplicator deduplicator() {
    return dedup;
  }

  /** Where interactions, jobs and alert hand-offs are claimed, once each. */
  Claims claims() {
    return claims;
  }

  /** Where and as whom this app calls AWS. */
  AwsEnvironment aws() {
    return aws;
  }

  /** Closes the DynamoDB client if it was built, with its timeout threads: for a throwaway app that is done. */
  void closeSharedStateClient() {
    dynamo.ifBuilt().ifPresent(DynamoDbClient::close);
  }

  public Alerter alerts() {
    return alerts;
  }

  /** The bot's Discord client, built on first use. */
  public DiscordClient discord() {
    return discord.get();
  }

  private static SignatureVerifier verifier(Config config, Clock clock) {
    String key = config.discordPublicKey().orElseThrow(() -> new ConfigException(List.of(
        "DISCORD_PUBLIC_KEY is required: copy it from Developer Portal > General Information > Public Key")));
    try {
      return new SignatureVerifier(key, config.signatureMaxAge(), clock);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of(e.getMessage()));
    }
  }

  public Config config() {
    return config;
  }

  public CommandRegistry commands() {
    return commands;
  }

  public InteractionEndpoint endpoint() {
    return endpoint;
  }

  /** Posts the daily digest when the stage's schedule asks for it. */
  public ScheduledDigest scheduledDigest() {
    return scheduledDigest;
  }
}

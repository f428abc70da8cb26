package dev.valine.orchestrator.ops;

import dev.valine.orchestrator.alert.Alert;
import dev.valine.orchestrator.alert.Alerter;
import dev.valine.orchestrator.command.Cancellation;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.Progress;
import dev.valine.orchestrator.config.OpsSettings;
import dev.valine.orchestrator.discord.CommandOption;
import dev.valine.orchestrator.discord.DiscordUser;
import dev.valine.orchestrator.discord.Interaction;
import dev.valine.orchestrator.discord.InteractionType;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.net.UrlPolicy;
import dev.valine.orchestrator.observability.ExecutionTrace;
import dev.valine.orchestrator.observability.Metrics;
import dev.valine.orchestrator.observability.SecretRedactor;
import dev.valine.orchestrator.observability.TraceStep;
import dev.valine.orchestrator.testing.FakeTime;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/** What the ops command tests share: a fake clock and sleeper, users and rights, and recording fakes of the context's parts. */
final class OpsFixture {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  static final String GUILD = "290926798626357999";
  static final String INTERACTION_ID = "1300000000000000042";
  static final DiscordUser OPERATOR = new DiscordUser("53908232506183680", "ana");
  static final DiscordUser STRANGER = new DiscordUser("53908232506183681", "bob");
  static final String OPERATOR_ROLE = "41771983423143936";
  static final String ADMIN = "53908232506183682";
  /** What the token allows the deferred half, counted from arrival, as the dispatcher sets it for these commands. */
  static final Duration RUNS_FOR = Duration.ofMinutes(14).plusSeconds(30);

  final FakeTime time = new FakeTime(NOW);
  final List<Alert> alerts = new CopyOnWriteArrayList<>();
  final List<String> updates = new CopyOnWriteArrayList<>();
  final List<String> dispatchMetrics = new CopyOnWriteArrayList<>();
  final List<String> followMetrics = new CopyOnWriteArrayList<>();
  final Metrics metrics = new Metrics() {
    @Override
    public void workflowDispatch(String workflow, String outcome) {
      dispatchMetrics.add(workflow + ":" + outcome);
    }

    @Override
    public void runFollowed(String workflow, String outcome) {
      followMetrics.add(workflow + ":" + outcome);
    }
  };
  final OpsSettings settings = new OpsSettings("deploy.yml", "diagnose.yml", "main",
      new OpsSettings.Grants(Set.of(OPERATOR.id()), Set.of(OPERATOR_ROLE), "OPERATOR_USER_IDS", "OPERATOR_ROLE_IDS"),
      new OpsSettings.Grants(Set.of(ADMIN), Set.of(), "ADMIN_USER_IDS", "ADMIN_ROLE_IDS"),
      false, Optional.empty(), Optional.empty(), List.of("/"), List.of("/health"));
  final Permissions permissions = Permissions.of(settings);
  // No test asks real DNS: a public name, and one that resolves to loopback.
  private final Dns names = host -> {
    switch (host) {
      case "api.example.com":
      case "app.example.com":
        return List.of(InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34}));
      case "evil.example":
        return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
      default:
        throw new UnknownHostException(host + " is not in the test's table");
    }
  };
  final SafeHttp urls = new SafeHttp(new OkHttpClient(), new UrlPolicy(List.of(), false), names, 1024, time);
  private ExecutionTrace trace;

  static Interaction interaction(String command, DiscordUser user, Optional<String> guild, List<String> roles, Map<String, String> options) {
    List<CommandOption> given = new ArrayList<>();
    options.forEach((name, value) -> given.add(new CommandOption(name, 3, value, List.of())));
    return new Interaction(INTERACTION_ID, "1100000000000000001", InteractionType.APPLICATION_COMMAND, "fake-" + "interaction-token",
        guild, Optional.of("1200000000000000001"), Optional.of(user), Optional.of(command), given, Optional.empty(), roles);
  }

  static Interaction byOperator(String command, Map<String, String> options) {
    return interaction(command, OPERATOR, Optional.of(GUILD), List.of(), options);
  }

  /** A context for the deferred half, with fresh progress. */
  CommandContext context(Interaction interaction) {
    return context(interaction, freshProgress(interaction));
  }

  /** A context whose progress holds what an earlier attempt recorded. */
  CommandContext context(Interaction interaction, Map<String, String> earlier) throws Exception {
    Progress progress = freshProgress(interaction);
    for (Map.Entry<String, String> fact : earlier.entrySet()) {
      progress.record(fact.getKey(), fact.getValue());
    }
    return context(interaction, progress);
  }

  private CommandContext context(Interaction interaction, Progress progress) {
    DiscordUser user = interaction.user().orElseThrow();
    trace = new ExecutionTrace("trace-1", interaction.id(), interaction.commandName().orElseThrow(), user.id(), interaction.guildId(),
        interaction.channelId(), time, new SecretRedactor());
    Alerter recording = alerts::add;
    return new CommandContext(interaction, user, dev.valine.orchestrator.time.Deadline.of(time.instant(), RUNS_FOR, time), trace,
        recording, new Cancellation(), progress, interim -> updates.add(interim.content()));
  }

  /** Progress kept for one run, the way the inline half keeps it: what a test records in it stands for an earlier attempt's facts. */
  private Progress freshProgress(Interaction interaction) {
    return new CommandContext(interaction, interaction.user().orElseThrow(), dev.valine.orchestrator.time.Deadline.of(time.instant(),
        RUNS_FOR, time), new ExecutionTrace("t", "c", "x", "u", Optional.empty(), Optional.empty(), time, new SecretRedactor()),
        Alerter.NONE, new Cancellation()).progress();
  }

  List<String> steps() {
    return trace.snapshot().steps().stream().map(TraceStep::name).toList();
  }

  ExecutionTrace trace() {
    return trace;
  }
}

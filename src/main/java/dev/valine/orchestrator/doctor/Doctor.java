package dev.valine.orchestrator.doctor;

import dev.valine.orchestrator.App;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.discord.DiscordClient;
import dev.valine.orchestrator.github.GitHubClient;
import dev.valine.orchestrator.net.SafeHttp;
import dev.valine.orchestrator.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Checks that a stage is wired right, from the same configuration the function reads: Discord, GitHub, the
 * DynamoDB table and the deploy targets. The four sections run in parallel, each check inside its section one
 * after another; every call has a time budget, and a section that overruns its own is reported as failed. No
 * text of the report holds a token: they name the variable instead, and any token value that still slipped
 * into a text is masked before the report is returned.
 */
public final class Doctor {
  /** Each Discord, GitHub or DynamoDB call, retries included. */
  public static final Duration CALL_BUDGET = Duration.ofSeconds(10);
  private static final Duration SECTION_BUDGET = Duration.ofSeconds(90);
  // Targets are only resolved, never fetched.
  private static final long TARGET_BODY_BYTES = 0;

  private final List<Section> sections;
  private final List<String> secrets;
  private final Duration sectionBudget;

  /**
   * @param guild the guild the stage registers commands in ({@code --guild}); empty for global commands
   * @param http shared by the Discord and GitHub clients; the caller releases it
   * @param dns resolves the deploy targets' hosts (tests pass a fixed table)
   * @param dynamo builds the DynamoDB client, only when {@code TRACE_TABLE_NAME} is set; it is closed after use
   */
  public Doctor(Config config, Optional<String> guild, OkHttpClient http, Dns dns, Supplier<DynamoDbClient> dynamo, Clock clock) {
    this(sections(config, guild, http, dns, dynamo, clock), secrets(config), SECTION_BUDGET);
  }

  Doctor(List<Section> sections, List<String> secrets, Duration sectionBudget) {
    this.sections = List.copyOf(sections);
    this.secrets = List.copyOf(secrets);
    this.sectionBudget = sectionBudget;
  }

  private static List<Section> sections(Config config, Optional<String> guild, OkHttpClient http, Dns dns,
      Supplier<DynamoDbClient> dynamo, Clock clock) {
    DiscordClient discord = new DiscordClient(http, config.discordApiBase(), config.discordBotToken(), App.VERSION, clock, Sleeper.SYSTEM,
        new Random());
    Optional<GitHubClient> github = config.githubRepo().map(repo -> new GitHubClient(http, config.githubApiBase(), repo,
        config.githubToken(), "valine-orchestrator/" + App.VERSION, clock));
    TargetCheck targets = new TargetCheck(new SafeHttp(http, config.urlPolicy(), dns, TARGET_BODY_BYTES, clock));
    return List.of(
        new DiscordChecks(config, discord, App.commandDefinitions(config, clock), guild, CALL_BUDGET),
        new GitHubChecks(config, github, targets, clock, CALL_BUDGET),
        new TableChecks(config.traceTable(), dynamo),
        new TargetChecks(config.ops(), targets));
  }

  private static List<String> secrets(Config config) {
    List<String> values = new ArrayList<>();
    config.discordBotToken().map(Secret::reveal).ifPresent(values::add);
    config.githubToken().map(Secret::reveal).ifPresent(values::add);
    return values;
  }

  /** Runs every check and returns the report; never throws for a failed check, which is a line of the report. */
  public Report run() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(sections.size(), runnable -> {
      Thread thread = new Thread(runnable, "doctor");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<List<Check>>> running = new ArrayList<>();
      for (Section section : sections) {
        running.add(pool.submit(section::run));
      }
      List<Check> checks = new ArrayList<>();
      long until = System.nanoTime() + sectionBudget.toNanos();
      for (int i = 0; i < sections.size(); i++) {
        checks.addAll(outcome(sections.get(i), running.get(i), until));
      }
      return new Report(checks.stream().map(this::masked).toList());
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Check> outcome(Section section, Future<List<Check>> running, long until) throws InterruptedException {
    try {
      return running.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      running.cancel(true);
      return List.of(Check.fail(section.title(), "its checks did not finish within " + sectionBudget.toSeconds() + " s",
          "check the network from here to " + section.title() + ", then run doctor again"));
    } catch (ExecutionException e) {
      // A bug or an unexpected answer: say which section, not the stack; never the exception's message, which
      // might quote a request.
      return List.of(Check.fail(section.title(), "its checks stopped with " + e.getCause().getClass().getSimpleName(),
          "run doctor again; if it repeats, report it with this line"));
    }
  }

  private Check masked(Check check) {
    Check result = check;
    for (String secret : secrets) {
      result = result.without(secret);
    }
    return result;
  }
}

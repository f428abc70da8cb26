package dev.valine.orchestrator.local;

import dev.valine.orchestrator.aws.AwsClients;
import dev.valine.orchestrator.aws.AwsEnvironment;
import dev.valine.orchestrator.aws.CallLimits;
import dev.valine.orchestrator.config.Config;
import dev.valine.orchestrator.config.ConfigException;
import dev.valine.orchestrator.doctor.Check;
import dev.valine.orchestrator.doctor.Doctor;
import dev.valine.orchestrator.doctor.JsonReport;
import dev.valine.orchestrator.doctor.Report;
import dev.valine.orchestrator.doctor.TextReport;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * {@code doctor [--guild ID] [--json]}: checks that the stage the environment describes is wired right, one line
 * per check, and exits 0 when none failed, 1 otherwise. A configuration the function would refuse is itself the
 * one failed check.
 */
final class DoctorCommand {
  private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");
  // DynamoDB calls off the reply path: a slow answer is worth waiting for here.
  private static final CallLimits DYNAMO_LIMITS = new CallLimits(Doctor.CALL_BUDGET, Duration.ofSeconds(5), 3);
  private static final String HELP = String.join("\n",
      "usage: doctor [--guild ID] [--json]",
      "  Checks that this stage is wired right, reading the same environment as the function:",
      "  Discord (bot token, application id, public key, alert channel, registered commands), GitHub (token,",
      "  repository, workflows and their workflow_dispatch inputs, variables), the DynamoDB table (keys, TTL)",
      "  and the deploy targets (URL rules). Checks whose settings are absent are skipped. No secret is printed.",
      "  --guild ID  the stage registers its commands in this guild: compare those, not the global ones",
      "  --json      print the report as JSON: {\"ok\", \"counts\", \"checks\": [{\"name\", \"status\", \"detail\", \"fix\"}]}",
      "  Exit status: 0 when no check failed, 1 when one did, 2 for a bad command line.");

  private final Map<String, String> env;
  private final Clock clock;

  DoctorCommand(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  int run(List<String> args, PrintStream out) throws UsageException {
    if (Cli.wantsHelp(args, out, HELP)) {
      return Cli.OK;
    }
    Options options = Options.parse("doctor", args, Set.of("guild"), Set.of("json"));
    Optional<String> guild = options.value("guild");
    if (guild.isPresent() && !SNOWFLAKE.matcher(guild.get()).matches()) {
      throw new UsageException("doctor: --guild takes a numeric guild id, got '" + guild.get() + "'");
    }
    Report report;
    try {
      report = check(Config.fromEnvironment(env, Config.PublicKey.OPTIONAL), guild);
    } catch (ConfigException e) {
      // The messages name variables and bad values, never a secret's value (Config's contract).
      report = new Report(List.of(new Check("Configuration", Check.Status.FAIL, String.join("; ", e.problems()),
          Optional.of("fix these variables; the function refuses to start with them as they are"))));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Cli.FAILED;
    }
    out.print(options.has("json") ? JsonReport.render(report) + "\n" : TextReport.render(report));
    return report.passed() ? Cli.OK : Cli.FAILED;
  }

  private Report check(Config config, Optional<String> guild) throws InterruptedException {
    OkHttpClient http = new OkHttpClient();
    try {
      AwsEnvironment aws = new AwsEnvironment(env);
      return new Doctor(config, guild, http, Dns.SYSTEM, () -> AwsClients.dynamoDb(aws, DYNAMO_LIMITS), clock).run();
    } finally {
      Cli.release(http);
    }
  }
}

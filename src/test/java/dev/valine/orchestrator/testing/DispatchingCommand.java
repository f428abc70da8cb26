package dev.valine.orchestrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valine.orchestrator.command.CommandContext;
import dev.valine.orchestrator.command.CommandDefinition;
import dev.valine.orchestrator.command.Progress;
import dev.valine.orchestrator.command.SlashCommand;
import dev.valine.orchestrator.discord.InteractionResponse;
import dev.valine.orchestrator.json.Jackson;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A command that changes something, for the claim tests until the bot has one of its own: it dispatches a
 * workflow on a GitHub stand-in, records the run it started, and follows that run, the way a deploy command
 * must. Resumed with a recorded run, it follows that run instead of dispatching again; resumed after an
 * attempt that asked for a dispatch but recorded no run, it refuses to guess.
 */
public final class DispatchingCommand implements SlashCommand {
  public static final String NAME = "deploy-test";
  private static final MediaType JSON = MediaType.get("application/json");

  /** What the command does right after it dispatched and recorded the run: a test holds it there to play a crash. */
  public interface AfterDispatch {
    void reached() throws InterruptedException;
  }

  private final OkHttpClient http = new OkHttpClient();
  private final HttpUrl github;
  private final AfterDispatch afterDispatch;

  public DispatchingCommand(HttpUrl github, AfterDispatch afterDispatch) {
    this.github = github;
    this.afterDispatch = afterDispatch;
  }

  public DispatchingCommand(HttpUrl github) {
    this(github, () -> { });
  }

  @Override
  public CommandDefinition definition() {
    return new CommandDefinition(NAME, "dispatch the deploy workflow (test)", List.of());
  }

  @Override
  public boolean changesSomething() {
    return true;
  }

  @Override
  public InteractionResponse handle(CommandContext context) throws Exception {
    Progress progress = context.progress();
    Optional<String> run = progress.get("dispatched_run_id");
    if (run.isEmpty()) {
      if (progress.get("dispatch").isPresent()) {
        return InteractionResponse.message("An earlier attempt may have dispatched the workflow; not dispatching again.");
      }
      progress.record("dispatch", "requested");
      JsonNode dispatched = call(new Request.Builder().url(github.resolve("repos/octo-org/deploy-service/actions/workflows/deploy.yml/dispatches"))
          .post(RequestBody.create("{\"ref\":\"main\",\"return_run_details\":true}", JSON)).build());
      run = Optional.of(dispatched.path("workflow_run_id").asText());
      progress.record("dispatched_run_id", run.get());
      afterDispatch.reached();
    }
    JsonNode followed = call(new Request.Builder().url(github.resolve("repos/octo-org/deploy-service/actions/runs/" + run.get())).build());
    return InteractionResponse.message("Run " + run.get() + ": " + followed.path("status").asText() + " "
        + followed.path("conclusion").asText());
  }

  private JsonNode call(Request request) throws IOException {
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("GitHub stand-in answered " + response.code());
      }
      return Jackson.parse(response.body().bytes());
    }
  }
}

package dev.valine.orchestrator.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.valine.orchestrator.config.Secret;
import dev.valine.orchestrator.discord.DiscordException.Kind;
import dev.valine.orchestrator.json.Jackson;
import dev.valine.orchestrator.secrets.SecretUnavailableException;
import dev.valine.orchestrator.secrets.TokenSource;
import dev.valine.orchestrator.time.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's Discord REST calls (https://discord.com/developers/docs/reference#http-api), on OkHttp: channel messages, interaction
 * follow-ups and edits (authorised by the interaction token, without the bot token), and application
 * commands. Every call has a time budget; within it the client waits out empty rate-limit buckets
 * before sending, honours 429s ({@code retry_after}, global and shared scopes), and retries 5xx and
 * timeouts with exponential backoff and jitter, a bounded number of times. Other 4xx are not retried, nor is
 * a 401, with one exception: a bot token read from Secrets Manager is read again after a 401, and the request
 * is sent once more when that gives a different token (it was rotated). Tokens never appear in logs or
 * exception messages: routes are logged by template.
 */
public final class DiscordClient {
  private static final Logger log = LoggerFactory.getLogger(DiscordClient.class);
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final HttpUrl base;
  private final TokenSource botToken;
  private final String userAgent;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Random jitter;
  private final RetryPolicy retry;
  private final RateLimiter limiter;

  /**
   * @param apiBase {@code DISCORD_API_BASE}, e.g. https://discord.com/api/v10
   * @param botToken for bot-authorised routes; interaction follow-ups work without it
   * @param version sent in the {@code User-Agent: DiscordBot (url, version)} Discord requires
   */
  public DiscordClient(OkHttpClient http, String apiBase, Optional<Secret> botToken, String version, Clock clock,
      Sleeper sleeper, Random jitter) {
    this(http, apiBase, TokenSource.environment("DISCORD_BOT_TOKEN", botToken), version, clock, sleeper, jitter, RetryPolicy.DEFAULT);
  }

  public DiscordClient(OkHttpClient http, String apiBase, Optional<Secret> botToken, String version, Clock clock,
      Sleeper sleeper, Random jitter, RetryPolicy retry) {
    this(http, apiBase, TokenSource.environment("DISCORD_BOT_TOKEN", botToken), version, clock, sleeper, jitter, retry);
  }

  /** @param botToken asked for on every bot-authorised request, and renewed once after a 401 */
  public DiscordClient(OkHttpClient http, String apiBase, TokenSource botToken, String version, Clock clock,
      Sleeper sleeper, Random jitter, RetryPolicy retry) {
    HttpUrl parsed = HttpUrl.parse(apiBase);
    if (parsed == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + apiBase);
    }
    this.http = http;
    this.base = parsed;
    this.botToken = botToken;
    this.userAgent = "DiscordBot (https://github.com/valine-orchestrator/valine-orchestrator, " + version + ")";
    this.clock = clock;
    this.sleeper = sleeper;
    this.jitter = jitter;
    this.retry = retry;
    this.limiter = new RateLimiter(clock);
  }

  /** {@code POST /channels/{channel.id}/messages}; returns the created message. */
  public JsonNode createMessage(String channelId, ObjectNode message, Duration budget) throws DiscordException {
    Route route = new Route("POST", "/channels/{channel_id}/messages", channelId, "channels/" + channelId + "/messages");
    return send(route, message, true, budget);
  }

  /** {@code PATCH /webhooks/{application.id}/{interaction.token}/messages/@original}: replaces a deferred "thinking…". */
  public JsonNode editOriginalResponse(String applicationId, String interactionToken, ObjectNode message, Duration budget)
      throws DiscordException {
    return send(originalRoute("PATCH", applicationId, interactionToken), message, false, budget);
  }

  private static Route originalRoute(String method, String applicationId, String interactionToken) {
    return new Route(method, "/webhooks/{application_id}/{token}/messages/@original", applicationId + "/" + interactionToken,
        "webhooks/" + applicationId + "/" + interactionToken + "/messages/@original");
  }

  /** {@code GET /webhooks/{application.id}/{interaction.token}/messages/@original}: the reply as Discord shows it. */
  public JsonNode getOriginalResponse(String applicationId, String interactionToken, Duration budget) throws DiscordException {
    return send(originalRoute("GET", applicationId, interactionToken), null, false, budget);
  }

  /** {@code POST /webhooks/{application.id}/{interaction.token}}: a new follow-up message. */
  public JsonNode createFollowup(String applicationId, String interactionToken, ObjectNode message, Duration budget)
      throws DiscordException {
    Route route = new Route("POST", "/webhooks/{application_id}/{token}", applicationId + "/" + interactionToken,
        "webhooks/" + applicationId + "/" + interactionToken);
    return send(route, message, false, budget);
  }

  /** The application's commands in one scope: global when {@code guildId} is empty. */
  public JsonNode getCommands(String applicationId, Optional<String> guildId, Duration budget) throws DiscordException {
    return send(commandsRoute("GET", applicationId, guildId), null, true, budget);
  }

  /** Replaces the whole command list of one scope (global when {@code guildId} is empty) with {@code commands}. */
  public JsonNode bulkOverwriteCommands(String applicationId, Optional<String> guildId, ArrayNode commands, Duration budget)
      throws DiscordException {
    return send(commandsRoute("PUT", applicationId, guildId), commands, true, budget);
  }

  /** {@code GET /users/@me}: the bot's own user; answers 401 when the token is not valid. */
  public JsonNode currentUser(Duration budget) throws DiscordException {
    return send(new Route("GET", "/users/@me", "@me", "users/@me"), null, true, budget);
  }

  /** {@code GET /applications/@me}: the bot's application, with its {@code id} and {@code verify_key} (the public key). */
  public JsonNode currentApplication(Duration budget) throws DiscordException {
    return send(new Route("GET", "/applications/@me", "@me", "applications/@me"), null, true, budget);
  }

  /** {@code GET /channels/{channel.id}}: 403 when the bot cannot see it, 404 when there is none or it is elsewhere. */
  public JsonNode channel(String channelId, Duration budget) throws DiscordException {
    return send(new Route("GET", "/channels/{channel_id}", channelId, "channels/" + channelId), null, true, budget);
  }

  /** {@code GET /guilds/{guild.id}/members/{user.id}}: one member, with the ids of its roles. */
  public JsonNode guildMember(String guildId, String userId, Duration budget) throws DiscordException {
    return send(new Route("GET", "/guilds/{guild_id}/members/{user_id}", guildId, "guilds/" + guildId + "/members/" + userId),
        null, true, budget);
  }

  /** {@code GET /guilds/{guild.id}/roles}: every role of the guild with its permission bits, {@code @everyone} included. */
  public JsonNode guildRoles(String guildId, Duration budget) throws DiscordException {
    return send(new Route("GET", "/guilds/{guild_id}/roles", guildId, "guilds/" + guildId + "/roles"), null, true, budget);
  }

  private static Route commandsRoute(String method, String applicationId, Optional<String> guildId) {
    return guildId
        .map(guild -> new Route(method, "/applications/{application_id}/guilds/{guild_id}/commands", guild,
            "applications/" + applicationId + "/guilds/" + guild + "/commands"))
        .orElseGet(() -> new Route(method, "/applications/{application_id}/commands", applicationId,
            "applications/" + applicationId + "/commands"));
  }

  private JsonNode send(Route route, JsonNode body, boolean needsBotToken, Duration budget) throws DiscordException {
    Optional<Secret> token = needsBotToken ? currentToken(route) : Optional.empty();
    Instant deadline = clock.instant().plus(budget);
    byte[] payload = body == null ? null : Jackson.bytes(body);
    DiscordException last = null;
    boolean renewed = false;
    // One more when a renewed token is sent: that send is not one of the attempts for failures.
    int attempts = retry.maxAttempts();
    for (int attempt = 1; attempt <= attempts; attempt++) {
      Duration rateLimitWait = limiter.waitBefore(route);
      if (clock.instant().plus(rateLimitWait).isAfter(deadline)) {
        throw last != null ? last : new DiscordException(Kind.RATE_LIMITED, 429, null,
            route + " must wait " + rateLimitWait.toMillis() + " ms for its rate limit, past its time budget; not sent");
      }
      sleep(rateLimitWait, route);
      Duration remaining = Duration.between(clock.instant(), deadline);
      if (remaining.isNegative() || remaining.isZero()) {
        throw last != null ? last : new DiscordException(Kind.TIMEOUT, 0, null, route + " ran out of its " + budget.toMillis() + " ms budget");
      }
      Duration timeout = remaining.compareTo(retry.attemptTimeout()) < 0 ? remaining : retry.attemptTimeout();
      try (Response response = call(route, payload, token, timeout).execute()) {
        RateLimitHeaders limits = RateLimitHeaders.parse(response::header);
        limiter.update(route, limits);
        String text = response.body().string();
        int status = response.code();
        if (response.isSuccessful()) {
          return text.isEmpty() ? Jackson.object() : parse(text, route, status);
        }
        last = error(route, status, text);
        if (status == 429) {
          Duration retryAfter = retryAfter(text, limits);
          boolean global = limits.global() || jsonOrEmpty(text).path("global").asBoolean(false);
          limiter.rateLimited(route, retryAfter, global);
          log.warn("discord {} rate limited: retry after {} ms (scope {}, global {})", route, retryAfter.toMillis(),
              limits.scope().orElse("unknown"), global);
          continue; // the wait happens at the top of the loop, within the budget
        }
        if (status >= 500) {
          log.warn("discord {} answered HTTP {} (attempt {} of {})", route, status, attempt, retry.maxAttempts());
          backOff(attempt, deadline, route, last);
          continue;
        }
        if (status == 401 && token.isPresent() && !renewed) {
          // Once per request: a token still rejected after a fresh read is reported, not retried again.
          renewed = true;
          if (renew(route, token.get())) {
            token = currentToken(route);
            log.warn("discord {} answered HTTP 401; sending it once more with the bot token read again from {}", route,
                botToken.origin());
            attempts++;
            continue;
          }
        }
        throw last; // 401, 403, 404 and other 4xx: retrying would only repeat the refusal
      } catch (InterruptedIOException e) {
        last = new DiscordException(Kind.TIMEOUT, route + " timed out", e);
      } catch (IOException e) {
        last = new DiscordException(Kind.NETWORK, route + " failed: " + e.getClass().getSimpleName(), e);
      }
      log.warn("discord {} attempt {} of {} failed: {}", route, attempt, retry.maxAttempts(), last.getMessage());
      backOff(attempt, deadline, route, last);
    }
    throw last;
  }

  /** Waits before the next attempt, or gives up with the last error when none is left or it would pass the deadline. */
  private void backOff(int attempt, Instant deadline, Route route, DiscordException last) throws DiscordException {
    if (attempt >= retry.maxAttempts()) {
      return;
    }
    Duration wait = backoff(attempt);
    if (clock.instant().plus(wait).isAfter(deadline)) {
      throw last;
    }
    sleep(wait, route);
  }

  /** The bot token as its source has it now; a route that needs one fails without it. */
  private Optional<Secret> currentToken(Route route) throws DiscordException {
    Optional<Secret> token;
    try {
      token = botToken.token();
    } catch (SecretUnavailableException e) {
      // Nothing was sent: not a token Discord refused.
      throw new DiscordException(Kind.CREDENTIALS_UNAVAILABLE, e.userMessage(), e);
    }
    if (token.isEmpty()) {
      throw new DiscordException(Kind.NOT_CONFIGURED, 0, null, "no bot token (" + botToken.origin() + " is not set); " + route
          + " needs the bot token");
    }
    return token;
  }

  private boolean renew(Route route, Secret rejected) throws DiscordException {
    try {
      return botToken.renew(rejected);
    } catch (SecretUnavailableException e) {
      // Discord refused the token, but whether a rotated one waits in the secret cannot be known until it is readable.
      throw new DiscordException(Kind.CREDENTIALS_UNAVAILABLE, e.userMessage(), e);
    }
  }

  private Call call(Route route, byte[] payload, Optional<Secret> token, Duration timeout) {
    Request.Builder request = new Request.Builder()
        .url(base.newBuilder().addPathSegments(route.path()).build())
        .header("User-Agent", userAgent);
    token.ifPresent(secret -> request.header("Authorization", "Bot " + secret.reveal()));
    RequestBody body = payload == null ? null : RequestBody.create(payload, JSON);
    request.method(route.method(), body);
    Call call = http.newCall(request.build());
    call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return call;
  }

  private void sleep(Duration wait, Route route) throws DiscordException {
    if (wait.isZero() || wait.isNegative()) {
      return;
    }
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DiscordException(Kind.TIMEOUT, route + " interrupted while waiting", e);
    }
  }

  /** 250 ms, 500 ms, 1 s … capped, plus up to the same again as jitter so that retries spread out. */
  private Duration backoff(int attempt) {
    long base = Math.min(retry.maxBackoff().toMillis(), retry.baseBackoff().toMillis() << (attempt - 1));
    return Duration.ofMillis(base + (long) (jitter.nextDouble() * base));
  }

  /** A 429's wait: {@code retry_after} from the body (seconds, decimals), else {@code Retry-After}, else 1 s. */
  private static Duration retryAfter(String body, RateLimitHeaders limits) {
    JsonNode json = jsonOrEmpty(body);
    if (json.path("retry_after").isNumber()) {
      return RateLimitHeaders.seconds(json.path("retry_after").asText()).orElse(Duration.ofSeconds(1));
    }
    return limits.retryAfter().or(limits::resetAfter).orElse(Duration.ofSeconds(1));
  }

  /** The body as JSON, or an empty object: Cloudflare answers some errors with HTML. */
  private static JsonNode jsonOrEmpty(String body) {
    try {
      return Jackson.parse(body);
    } catch (IOException e) {
      return Jackson.object();
    }
  }

  private static DiscordException error(Route route, int status, String body) {
    JsonNode json = jsonOrEmpty(body);
    Integer code = json.path("code").isInt() ? json.path("code").asInt() : null;
    String message = json.path("message").asText("");
    String detail = "Discord answered HTTP " + status + " to " + route
        + (code != null ? " (code " + code + ": " + message + ")" : message.isEmpty() ? "" : " (" + message + ")");
    return new DiscordException(kind(status), status, code, detail);
  }

  private static Kind kind(int status) {
    switch (status) {
      case 401:
        return Kind.UNAUTHORIZED;
      case 403:
        return Kind.FORBIDDEN;
      case 404:
        return Kind.NOT_FOUND;
      case 429:
        return Kind.RATE_LIMITED;
      default:
        return status >= 500 ? Kind.SERVER_ERROR : Kind.INVALID_REQUEST;
    }
  }

  private static JsonNode parse(String text, Route route, int status) throws DiscordException {
    try {
      return Jackson.parse(text);
    } catch (IOException e) {
      throw new DiscordException(Kind.INVALID_REQUEST, status, null, "Discord answered " + route + " with a body that is not JSON");
    }
  }
}

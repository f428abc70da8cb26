package dev.valine.orchestrator.config;

import dev.valine.orchestrator.net.UrlPolicy;
import dev.valine.orchestrator.net.UrlRefusedException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of the ops actions ({@code /deploy-client}, {@code /diagnose}, {@code /verify-*},
 * {@code /set-*}), read with the rest of {@link Config}.
 *
 * @param deployWorkflow what {@code /deploy-client} dispatches and {@code /verify-latest} verifies: a workflow
 *     name, file name or id ({@code DEPLOY_WORKFLOW})
 * @param diagnoseWorkflow what {@code /diagnose} dispatches ({@code DIAGNOSE_WORKFLOW})
 * @param deployRef the git ref dispatched when the command names none ({@code DEPLOY_REF})
 * @param operators who may dispatch ({@code OPERATOR_USER_IDS}, {@code OPERATOR_ROLE_IDS})
 * @param admins who may change the deploy targets ({@code ADMIN_USER_IDS}, {@code ADMIN_ROLE_IDS}); admins are
 *     operators too
 * @param adminWrites whether {@code /set-*} may write ({@code ENABLE_ADMIN_WRITES})
 * @param frontendBaseUrl the frontend to verify when the repository variable {@code FRONTEND_BASE_URL} is unset
 *     or unreadable ({@code FRONTEND_BASE_URL})
 * @param apiBaseUrl the API to verify when the repository variable {@code VITE_API_BASE} is unset or
 *     unreadable ({@code API_BASE_URL})
 * @param verifyFrontendPaths the paths fetched on the frontend ({@code VERIFY_FRONTEND_PATHS})
 * @param verifyApiPaths the paths fetched on the API ({@code VERIFY_API_PATHS})
 */
public record OpsSettings(
    String deployWorkflow,
    String diagnoseWorkflow,
    String deployRef,
    Grants operators,
    Grants admins,
    boolean adminWrites,
    Optional<String> frontendBaseUrl,
    Optional<String> apiBaseUrl,
    List<String> verifyFrontendPaths,
    List<String> verifyApiPaths) {

  public static final String DEFAULT_DEPLOY_WORKFLOW = "Client Deploy";
  public static final String DEFAULT_DIAGNOSE_WORKFLOW = "Diagnose on Demand";

  private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");
  // A path with no scheme, host, query or fragment, and no dot segment that could climb out of the base.
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");
  // Git's ref rules, loosely: no spaces, no "..", no control characters, not starting with '-'.
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}");

  /**
   * Who holds a right: by user id or by guild role id. Empty means nobody.
   *
   * @param userVariable and {@code roleVariable}: the variables that grant it, named in a refusal
   */
  public record Grants(Set<String> userIds, Set<String> roleIds, String userVariable, String roleVariable) {
    public Grants {
      userIds = Set.copyOf(userIds);
      roleIds = Set.copyOf(roleIds);
      Objects.requireNonNull(userVariable, "userVariable");
      Objects.requireNonNull(roleVariable, "roleVariable");
    }

    public boolean grants(String userId, List<String> roles) {
      return userIds.contains(userId) || roles.stream().anyMatch(roleIds::contains);
    }
  }

  public OpsSettings {
    Objects.requireNonNull(deployWorkflow, "deployWorkflow");
    Objects.requireNonNull(diagnoseWorkflow, "diagnoseWorkflow");
    Objects.requireNonNull(deployRef, "deployRef");
    Objects.requireNonNull(operators, "operators");
    Objects.requireNonNull(admins, "admins");
    verifyFrontendPaths = List.copyOf(verifyFrontendPaths);
    verifyApiPaths = List.copyOf(verifyApiPaths);
  }

  /** The defaults of an unset environment: nobody may act, the default workflows and paths. */
  public static OpsSettings defaults() {
    return read(new EnvReader(java.util.Map.of()), new UrlPolicy(List.of(), false));
  }

  /** Reads the settings; each problem goes to {@code read}'s list. */
  static OpsSettings read(EnvReader read, UrlPolicy urls) {
    String deploy = read.optional("DEPLOY_WORKFLOW").orElse(DEFAULT_DEPLOY_WORKFLOW);
    String diagnose = read.optional("DIAGNOSE_WORKFLOW").orElse(DEFAULT_DIAGNOSE_WORKFLOW);
    String ref = read.matching("DEPLOY_REF", v -> REF.matcher(v).matches() && !v.contains(".."),
        "a branch or tag name, like main or release/1.4").orElse("main");
    Grants operators = new Grants(snowflakes(read, "OPERATOR_USER_IDS"), snowflakes(read, "OPERATOR_ROLE_IDS"),
        "OPERATOR_USER_IDS", "OPERATOR_ROLE_IDS");
    Grants admins = new Grants(snowflakes(read, "ADMIN_USER_IDS"), snowflakes(read, "ADMIN_ROLE_IDS"),
        "ADMIN_USER_IDS", "ADMIN_ROLE_IDS");
    boolean adminWrites = read.bool("ENABLE_ADMIN_WRITES", false);
    Optional<String> frontend = base(read, urls, "FRONTEND_BASE_URL");
    Optional<String> api = base(read, urls, "API_BASE_URL");
    List<String> frontendPaths = paths(read, "VERIFY_FRONTEND_PATHS", List.of("/", "/index.html"));
    List<String> apiPaths = paths(read, "VERIFY_API_PATHS", List.of("/health", "/hello"));
    return new OpsSettings(deploy, diagnose, ref, operators, admins, adminWrites, frontend, api, frontendPaths, apiPaths);
  }

  private static Set<String> snowflakes(EnvReader read, String name) {
    return Set.copyOf(read.list(name, value -> {
      if (!SNOWFLAKE.matcher(value).matches()) {
        throw new IllegalArgumentException("'" + value + "' is not a Discord id (Developer Mode > Copy User ID / Copy Role ID)");
      }
      return value;
    }));
  }

  /** A deploy target: checked by the URL rules now, as far as that can be done without resolving its name. */
  private static Optional<String> base(EnvReader read, UrlPolicy urls, String name) {
    Optional<String> value = read.optional(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(urls.check(value.get()).toString());
    } catch (UrlRefusedException e) {
      read.problem(name + " is refused by the URL rules: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static List<String> paths(EnvReader read, String name, List<String> fallback) {
    List<String> paths = read.list(name, value -> {
      if (!PATH.matcher(value).matches() || value.contains("/../") || value.endsWith("/..") || value.contains("//")) {
        throw new IllegalArgumentException("'" + value + "' is not a path like /health (it starts with '/', has no "
            + "'..' segment, '?' or '#')");
      }
      return value;
    });
    return read.optional(name).isPresent() ? paths : fallback;
  }
}

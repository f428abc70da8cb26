package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunReferenceTest {
  private final RunReference github = new RunReference("octo-org/deploy-service", "github.com");

  private Optional<Long> id(String link) {
    RunReference.Parsed parsed = github.parse(link);
    assertEquals(parsed.runId().isPresent(), parsed.refusal().isEmpty(), "exactly one of id and refusal");
    return parsed.runId();
  }

  private String refusal(String link) {
    RunReference.Parsed parsed = github.parse(link);
    assertTrue(parsed.runId().isEmpty(), link);
    return parsed.refusal().orElseThrow();
  }

  @Test
  void readsTheRunIdOfARunPage() {
    assertEquals(Optional.of(9000000042L), id("https://github.com/octo-org/deploy-service/actions/runs/9000000042"));
  }

  @Test
  void acceptsTheFormsGitHubShowsARunIn() {
    assertEquals(Optional.of(42L), id("https://github.com/octo-org/deploy-service/actions/runs/42/"));
    assertEquals(Optional.of(42L), id("https://github.com/octo-org/deploy-service/actions/runs/42/attempts/2"));
    assertEquals(Optional.of(42L), id("https://github.com/octo-org/deploy-service/actions/runs/42/job/77"));
    assertEquals(Optional.of(42L), id("https://github.com/octo-org/deploy-service/actions/runs/42?pr=3#summary"));
    assertEquals(Optional.of(42L), id("  https://github.com/octo-org/deploy-service/actions/runs/42  "));
  }

  @Test
  void comparesOwnerAndNameWithoutCase() {
    assertEquals(Optional.of(42L), id("https://GitHub.com/Octo-Org/Deploy-Service/actions/runs/42"));
  }

  @Test
  void refusesARunOfAnotherRepository() {
    String why = refusal("https://github.com/octo-org/other-service/actions/runs/42");

    assertTrue(why.contains("another repository"), why);
    assertTrue(why.contains("`octo-org/deploy-service`"), why);
  }

  @Test
  void refusesAnotherHost() {
    String why = refusal("https://gitlab.com/octo-org/deploy-service/actions/runs/42");

    assertTrue(why.startsWith("That link is not on github.com"), why);
    assertTrue(why.contains("https://github.com/octo-org/deploy-service/actions/runs/123456789"), "says what is expected: " + why);
  }

  @Test
  void refusesPagesThatAreNotARun() {
    for (String link : new String[] {
        "https://github.com/octo-org/deploy-service/actions",
        "https://github.com/octo-org/deploy-service/actions/workflows/deploy.yml",
        "https://github.com/octo-org/deploy-service/pull/42",
        "https://github.com/octo-org/deploy-service/actions/runs/latest",
        "https://github.com/octo-org/deploy-service/actions/runs/0",
        "https://github.com/octo-org/deploy-service/actions/runs/42/artifacts/9",
        "https://github.com/octo-org/deploy-service/actions/runs/99999999999999999999"}) {
      assertTrue(refusal(link).startsWith("That is not a link to a workflow run."), link);
    }
  }

  @Test
  void refusesPlainHttpCredentialsAndOtherPorts() {
    assertTrue(refusal("http://github.com/octo-org/deploy-service/actions/runs/42").startsWith("A run link starts with https://"));
    String credentials = refusal("https://someone:" + "fake-secret" + "@github.com/octo-org/deploy-service/actions/runs/42");
    assertTrue(credentials.startsWith("A run link never holds a user name or password"), credentials);
    assertFalse(credentials.contains("fake-secret"), "never echoed");
    assertTrue(refusal("https://github.com:8443/octo-org/deploy-service/actions/runs/42").startsWith("That link is not on github.com"));
  }

  @Test
  void refusesWhatIsNotALink() {
    assertTrue(refusal("42").startsWith("That is not a link."));
    assertTrue(refusal("").startsWith("That is not a run link."));
    assertTrue(refusal("javascript:alert(1)").startsWith("That is not a link."));
  }

  @Test
  void theWebHostFollowsTheApiBase() {
    assertEquals("github.com", RunReference.webHostFor("https://api.github.com"));
    assertEquals("ghe.example.com", RunReference.webHostFor("https://ghe.example.com/api/v3"));
    assertEquals("octo.ghe.com", RunReference.webHostFor("https://api.octo.ghe.com"));
    assertEquals("github.com", RunReference.webHostFor("http://127.0.0.1:8089/"), "a test server fronts github.com");
  }

  @Test
  void aGitHubEnterpriseRunLinkIsReadOnItsOwnHost() {
    RunReference enterprise = new RunReference("octo-org/deploy-service", RunReference.webHostFor("https://ghe.example.com/api/v3"));

    assertEquals(Optional.of(42L), enterprise.parse("https://ghe.example.com/octo-org/deploy-service/actions/runs/42").runId());
    assertTrue(enterprise.parse("https://github.com/octo-org/deploy-service/actions/runs/42").refusal().isPresent());
  }
}

package dev.valine.orchestrator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class TargetChecksTest {
  @Test
  void aPathGoesUnderTheBasesOwnPath() {
    assertEquals("https://app.example.com/index.html", TargetChecks.join(HttpUrl.get("https://app.example.com"), "/index.html").toString());
    assertEquals("https://app.example.com/", TargetChecks.join(HttpUrl.get("https://app.example.com/"), "/").toString());
    assertEquals("https://api.example.com/v1/health", TargetChecks.join(HttpUrl.get("https://api.example.com/v1"), "/health").toString());
    assertEquals("https://api.example.com/v1/health", TargetChecks.join(HttpUrl.get("https://api.example.com/v1/"), "/health").toString());
  }

  @Test
  void theBasesQueryAndFragmentAreNotSent() {
    assertEquals("https://api.example.com/v1/health",
        TargetChecks.join(HttpUrl.get("https://api.example.com/v1?key=fake-key#top"), "/health").toString());
  }

  @Test
  void aUrlIsShownWithoutQueryOrCredentials() {
    assertEquals("https://cdn.example.com/app/",
        TargetChecks.withoutQuery(HttpUrl.get("https://someone:" + "fake-secret" + "@cdn.example.com/app/?X-Amz-Signature=fake-sig")));
  }
}

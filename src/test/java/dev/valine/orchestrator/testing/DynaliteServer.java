package dev.valine.orchestrator.testing;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One dynalite per test class: {@code @RegisterExtension static final DynaliteServer dynalite = new DynaliteServer();} */
public final class DynaliteServer implements BeforeAllCallback, AfterAllCallback {
  private Dynalite dynalite;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dynalite = Dynalite.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    dynalite.close();
  }

  /** A new client of its own, as each container builds one. */
  public DynamoDbClient client() {
    return dynalite.client();
  }

  /** The AWS environment of a container that uses this server. */
  public Map<String, String> environment() {
    return dynalite.environment();
  }
}

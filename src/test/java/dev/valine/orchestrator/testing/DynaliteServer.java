package dev.valine.orchestrator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One dynalite per test class, and the clients a test opens closed after it:
 * {@code @RegisterExtension static final DynaliteServer dynalite = new DynaliteServer();}
 */
public final class DynaliteServer implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final List<DynamoDbClient> clients = new ArrayList<>();
  private Dynalite dynalite;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dynalite = Dynalite.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    clients.forEach(DynamoDbClient::close);
    clients.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    dynalite.close();
  }

  /** A new client of its own, as each container builds one; closed after the test. */
  public DynamoDbClient client() {
    DynamoDbClient client = dynalite.client();
    clients.add(client);
    return client;
  }

  /** The AWS environment of a container that uses this server. */
  public Map<String, String> environment() {
    return dynalite.environment();
  }
}

package dev.valine.orchestrator.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The bot's one Jackson {@code ObjectMapper}, configured once, and the few ways the code uses it: JSON
 * trees in and out. Only its immutable {@code ObjectReader} and {@code ObjectWriter}s are reachable, so
 * nothing can reconfigure it after start-up; SnapStart priming builds it and runs every path through it.
 *
 * <p>Reading is strict about what a document is: exactly one value (trailing content fails) and no key
 * twice in an object. Duplicate keys matter on the signed interaction body and on job events: two parsers
 * that disagree about which of two values counts are how signed-payload confusion attacks work. Unknown
 * fields are kept, since Discord and GitHub add fields at will. Depth and sizes are bounded by Jackson's
 * default {@code StreamReadConstraints}.
 */
public final class Jackson {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final ObjectReader READER = MAPPER.reader();
  private static final ObjectWriter WRITER = MAPPER.writer();
  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private Jackson() {}

  /**
   * @throws IOException if the bytes are not exactly one JSON document without duplicate keys
   */
  public static JsonNode parse(byte[] bytes) throws IOException {
    return document(READER.readTree(bytes));
  }

  /**
   * @throws IOException if the text is not exactly one JSON document without duplicate keys
   */
  public static JsonNode parse(String text) throws IOException {
    return document(READER.readTree(text));
  }

  private static JsonNode document(JsonNode root) throws IOException {
    // Jackson answers empty input with a MissingNode rather than an error.
    if (root == null || root.isMissingNode()) {
      throw new IOException("empty document");
    }
    return root;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return WRITER.writeValueAsBytes(node);
    } catch (IOException e) {
      // Writing a tree held in memory to memory cannot fail for I/O reasons.
      throw new UncheckedIOException(e);
    }
  }

  public static String text(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Indented, for people (the CLI). */
  public static String pretty(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A text field's value, empty when absent, null or not text. */
  public static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}

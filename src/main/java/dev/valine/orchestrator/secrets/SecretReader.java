package dev.valine.orchestrator.secrets;

import dev.valine.orchestrator.util.Lazy;
import java.util.function.Supplier;

/** Reads the secret's current text, once per call: no caching here ({@link SecretTokens} caches). */
interface SecretReader {
  /** The secret's text and the id of the version read, which is no secret and tells a rotation apart. */
  record Read(String text, String versionId) {
    @Override
    public String toString() {
      return "Read[version " + versionId + "]";
    }
  }

  /**
   * @throws SecretUnavailableException naming the secret and why it could not be read
   */
  Read read();

  /** Builds what the first read would build (the SDK client), without reading: for SnapStart priming. */
  default void prepare() {}

  /** Closes the client if one was built: for a throwaway reader that is done. */
  default void close() {}

  /**
   * A reader built on first use: building the SDK's reader links SDK classes, which the app wires at cold start
   * and a PING must not load.
   */
  static SecretReader lazy(Supplier<SecretReader> factory) {
    Lazy<SecretReader> reader = new Lazy<>(factory);
    return new SecretReader() {
      @Override
      public Read read() {
        return reader.get().read();
      }

      @Override
      public void prepare() {
        reader.get().prepare();
      }

      @Override
      public void close() {
        reader.ifBuilt().ifPresent(SecretReader::close);
      }
    };
  }
}

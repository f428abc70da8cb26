package dev.valine.orchestrator.util;

import java.util.function.Supplier;

/**
 * Builds a value on first use and keeps it for the life of the container. Expensive clients (OkHttp
 * loads the TLS trust store) stay off the cold PING path this way. Thread-safe.
 */
public final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private volatile T value;

  public Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  @Override
  public T get() {
    T current = value;
    if (current == null) {
      synchronized (this) {
        current = value;
        if (current == null) {
          current = factory.get();
          value = current;
        }
      }
    }
    return current;
  }

  /** The value if it has been built; never builds it. */
  public java.util.Optional<T> ifBuilt() {
    return java.util.Optional.ofNullable(value);
  }
}

package dev.valine.orchestrator.observability;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What the log encoder does with one field's value, decided once per field name: mask it whole (its
 * name says it holds a secret, whatever its type) or redact its text by pattern. No name is trusted to
 * hold no secret: callers can write any field name.
 */
final class FieldPolicy {
  enum Action { REDACT, MASK_WHOLE }

  // Field names repeat on every line; past this many distinct names, decide without remembering.
  private static final int CACHE_LIMIT = 4096;

  private final SecretRedactor redactor;
  private final ConcurrentHashMap<String, Action> cache = new ConcurrentHashMap<>();

  FieldPolicy(SecretRedactor redactor) {
    this.redactor = redactor;
  }

  Action of(String name) {
    Action action = cache.get(name);
    if (action == null) {
      action = redactor.isSensitiveName(name) ? Action.MASK_WHOLE : Action.REDACT;
      if (cache.size() < CACHE_LIMIT) {
        cache.put(name, action);
      }
    }
    return action;
  }
}

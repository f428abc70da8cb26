package dev.valine.orchestrator.observability;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What the log encoder does with one field's value, decided once per field name: mask it whole (its
 * name says it holds a secret, whatever its type), write it as is (a top-level field our own code
 * generates: ids, names, levels, which cannot hold a secret), or redact its text by pattern.
 */
final class FieldPolicy {
  enum Action { REDACT, MASK_WHOLE, SKIP_GENERATED }

  // Field names repeat on every line; past this many distinct names, decide without remembering.
  private static final int CACHE_LIMIT = 4096;

  private final SecretRedactor redactor;
  private final ConcurrentHashMap<String, Action> topLevel = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Action> nested = new ConcurrentHashMap<>();

  FieldPolicy(SecretRedactor redactor) {
    this.redactor = redactor;
  }

  /** @param root whether the field is a top-level one of the line; "message" inside "error" is exception text */
  Action of(String name, boolean root) {
    ConcurrentHashMap<String, Action> cache = root ? topLevel : nested;
    Action action = cache.get(name);
    if (action == null) {
      action = redactor.isSensitiveName(name) ? Action.MASK_WHOLE
          : root && LogFields.GENERATED.contains(name) ? Action.SKIP_GENERATED : Action.REDACT;
      if (cache.size() < CACHE_LIMIT) {
        cache.put(name, action);
      }
    }
    return action;
  }
}

package dev.valine.orchestrator.doctor;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of doctor's report: what was checked, how it came out, what was found, and what to do about it.
 * The texts never hold a secret; they name the variable a secret came from instead.
 *
 * @param fix what to do, for a failure or a warning
 */
public record Check(String name, Status status, String detail, Optional<String> fix) {

  /** How a check came out. Only {@link #FAIL} makes doctor exit 1. */
  public enum Status {
    PASS("✅"),
    /** Works, with a limit worth knowing (an option that cannot be used, a check that could only go half way). */
    WARN("⚠️"),
    FAIL("❌"),
    /** Not run: its settings are absent, or what it needs failed above. */
    SKIP("⏭️");

    private final String symbol;

    Status(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(fix, "fix");
  }

  static Check pass(String name, String detail) {
    return new Check(name, Status.PASS, detail, Optional.empty());
  }

  static Check warn(String name, String detail, String fix) {
    return new Check(name, Status.WARN, detail, Optional.of(fix));
  }

  static Check fail(String name, String detail, String fix) {
    return new Check(name, Status.FAIL, detail, Optional.of(fix));
  }

  static Check skip(String name, String reason) {
    return new Check(name, Status.SKIP, reason, Optional.empty());
  }

  /** The same check with every occurrence of {@code secret} in its texts masked. */
  Check without(String secret) {
    if (secret.isEmpty()) {
      return this;
    }
    return new Check(name.replace(secret, MASK), status, detail.replace(secret, MASK), fix.map(text -> text.replace(secret, MASK)));
  }

  private static final String MASK = "***REDACTED***";
}

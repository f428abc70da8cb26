package dev.valine.orchestrator.secrets;

/**
 * The secret that holds the bot's tokens could not be read: missing, not ours to read, throttled, slow, or not
 * the JSON object it must be. It names the secret and the AWS error code, never a value, and says to the user
 * what to do in {@link #userMessage()}.
 */
public final class SecretUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The code of a read abandoned because the command that asked for it was given up. */
  static final String ABANDONED = "AbortedException";

  private final String secretName;
  private final String errorCode;

  /**
   * @param errorCode the AWS error code ({@code AccessDeniedException}, {@code ResourceNotFoundException},
   *     {@code ThrottlingException}…), or what went wrong on our side ({@code ApiCallTimeoutException}, {@code MalformedSecret})
   */
  public SecretUnavailableException(String secretName, String errorCode, String detail) {
    // A value shared by every caller of one failed read: no stack (none is logged), and nothing may be added to it.
    super("could not read secret " + secretName + " (" + errorCode + "): " + detail, null, false, false);
    this.secretName = secretName;
    this.errorCode = errorCode;
  }

  /** The name or ARN the function was given ({@code SECRET_ID}); never the value. */
  public String secretName() {
    return secretName;
  }

  public String errorCode() {
    return errorCode;
  }

  /** Whether the read was abandoned by its caller rather than refused or unanswered. */
  boolean abandoned() {
    return ABANDONED.equals(errorCode);
  }

  /** What a Discord user is told: the bot cannot act, and who can fix it where. */
  public String userMessage() {
    return "I could not read my credentials (secret `" + secretName + "`: " + errorCode + "), so I cannot do that right now. "
        + "Please tell the on-call engineer: RUNBOOK.md, \"Secret cannot be read\".";
  }
}

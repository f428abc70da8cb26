package dev.valine.orchestrator.observability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Redacts a text stream one line at a time, one line out per line in. Remembers an open PEM private-key
 * block across lines, because its body lines look like nothing in particular on their own.
 */
public final class LineRedactor {
  private final SecretRedactor redactor;

  public LineRedactor(SecretRedactor redactor) {
    this.redactor = redactor;
  }

  private static boolean opensPrivateKey(String line) {
    int begin = line.indexOf("-----BEGIN");
    return begin >= 0 && line.indexOf("PRIVATE KEY-----", begin) > 0 && !line.contains("-----END");
  }

  /** Copies {@code in} to {@code out}, redacted, and returns the number of lines copied. */
  public long copy(BufferedReader in, PrintStream out) throws IOException {
    boolean insidePrivateKey = false;
    long count = 0;
    String line;
    while ((line = in.readLine()) != null) {
      if (insidePrivateKey) {
        if (line.contains("-----END") && line.contains("PRIVATE KEY-----")) {
          insidePrivateKey = false;
          out.println(line.substring(line.indexOf("-----END")));
        } else {
          out.println(SecretRedactor.MASK);
        }
      } else if (opensPrivateKey(line)) {
        insidePrivateKey = true;
        int begin = line.indexOf("-----BEGIN");
        int armourEnd = line.indexOf("PRIVATE KEY-----", begin) + "PRIVATE KEY-----".length();
        String rest = armourEnd < line.length() ? SecretRedactor.MASK : "";
        out.println(redactor.redact(line.substring(0, begin)) + line.substring(begin, armourEnd) + rest);
      } else {
        out.println(redactor.redact(line));
      }
      count++;
    }
    out.flush();
    return count;
  }
}

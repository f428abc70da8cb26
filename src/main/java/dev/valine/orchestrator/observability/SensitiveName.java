package dev.valine.orchestrator.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a field, header, parameter or key name says that its value is a secret. The name is
 * cut into words at separators and camelCase humps ({@code aws_secret_access_key}, {@code clientSecret},
 * {@code X-Api-Key}), and it is sensitive when any word is a secret word that is not merely described
 * by the word after it:
 *
 * <ul>
 *   <li>a secret word is one that ends with token, secret, password, passwd, pwd, passphrase, credential,
 *       auth, authorization, cookie or session (a trailing {@code s} or digits aside), or {@code key}
 *       right after a word that makes a key secret: api, app, access, account, auth, client, deploy,
 *       encryption, gpg, hmac, master, pgp, private, secret, session, shared, signing, ssh
 *       ({@code signing_key}, {@code apiKey}, {@code sshkey});</li>
 *   <li>a describing word right after it makes it harmless: count, length, len, size, type, kind, expiry,
 *       expires, expiration, ttl, age, limit, name, fingerprint, and after {@code key} also id
 *       ({@code token_count}, {@code token_expiry}, {@code aws_access_key_id}).</li>
 * </ul>
 *
 * <p>So {@code secret_key}, {@code password_hash} and {@code GITHUB_TOKEN} are sensitive while
 * {@code token_count}, {@code keyboard}, {@code monkey}, {@code passwordless}, {@code author} and
 * {@code public_key} are not. Unknown words never make a name sensitive, and a describing word only
 * clears the secret word right before it. Stateless.
 */
final class SensitiveName {
  private static final List<String> SECRET_ENDINGS = List.of("token", "secret", "password", "passwd", "pwd", "passphrase",
      "credential", "auth", "authorization", "cookie", "session");
  private static final List<String> KEY_QUALIFIERS = List.of("api", "app", "access", "account", "auth", "client", "deploy",
      "encryption", "gpg", "hmac", "master", "pgp", "private", "secret", "session", "shared", "signing", "ssh");
  private static final Set<String> DESCRIBING = Set.of("count", "length", "len", "size", "type", "kind", "expiry", "expires",
      "expiration", "ttl", "age", "limit", "name", "fingerprint");
  private static final String KEY = "key";

  private SensitiveName() {}

  /** Whether the name marks a secret (see the class comment for the exact line). */
  static boolean isSensitive(String name) {
    List<String> words = words(name);
    for (int i = 0; i < words.size(); i++) {
      String word = stem(words.get(i));
      boolean key = isSecretKey(word, i == 0 ? null : stem(words.get(i - 1)));
      if (!key && !endsWithAny(word, SECRET_ENDINGS)) {
        continue;
      }
      String next = i + 1 < words.size() ? words.get(i + 1) : null;
      String nextStem = next == null ? null : stem(next);
      boolean described = next != null && (DESCRIBING.contains(nextStem) || key && nextStem.equals("id"));
      if (!described) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the name is a credential header ({@code Authorization}, {@code Proxy-Authorization},
   * {@code Cookie}, {@code Set-Cookie}) whose value runs to the end of the header, spaces included
   * ({@code Bearer abc}, {@code sid=1; theme=dark}).
   */
  static boolean isCredentialHeader(String name) {
    List<String> words = words(name);
    if (words.isEmpty()) {
      return false;
    }
    String last = words.get(words.size() - 1);
    return last.equals("authorization") || last.equals("cookie");
  }

  /** {@code key}, or a word ending in it like {@code apikey}, made secret by what comes before it. */
  private static boolean isSecretKey(String word, String previous) {
    if (word.equals(KEY)) {
      return previous != null && (KEY_QUALIFIERS.contains(previous) || endsWithAny(previous, SECRET_ENDINGS));
    }
    if (word.length() > KEY.length() && word.endsWith(KEY)) {
      String before = word.substring(0, word.length() - KEY.length());
      return endsWithAny(before, KEY_QUALIFIERS) || endsWithAny(before, SECRET_ENDINGS);
    }
    return false;
  }

  private static boolean endsWithAny(String word, List<String> endings) {
    for (String ending : endings) {
      if (word.endsWith(ending)) {
        return true;
      }
    }
    return false;
  }

  /** The word without trailing digits and a plural {@code s}: {@code tokens}, {@code password2}; not {@code access}. */
  private static String stem(String word) {
    int end = word.length();
    while (end > 0 && Character.isDigit(word.charAt(end - 1))) {
      end--;
    }
    if (end > 3 && word.charAt(end - 1) == 's' && word.charAt(end - 2) != 's') {
      end--;
    }
    return end == word.length() ? word : word.substring(0, end);
  }

  /**
   * Lower-case words of a name: split at every character that is not an ASCII letter or digit, before an
   * upper-case letter that follows a lower-case letter or digit ({@code clientSecret}), and before the last
   * capital of a run that a lower-case letter follows ({@code APIKey}).
   */
  static List<String> words(String name) {
    List<String> words = new ArrayList<>(4);
    int start = -1;
    for (int i = 0; i <= name.length(); i++) {
      char c = i < name.length() ? name.charAt(i) : ' ';
      boolean letterOrDigit = c < 128 && Character.isLetterOrDigit(c);
      if (!letterOrDigit) {
        if (start >= 0) {
          words.add(name.substring(start, i).toLowerCase(Locale.ROOT));
          start = -1;
        }
        continue;
      }
      if (start >= 0 && Character.isUpperCase(c) && i > start) {
        char before = name.charAt(i - 1);
        boolean hump = Character.isLowerCase(before) || Character.isDigit(before);
        boolean acronymEnd = Character.isUpperCase(before) && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (hump || acronymEnd) {
          words.add(name.substring(start, i).toLowerCase(Locale.ROOT));
          start = i;
        }
      }
      if (start < 0) {
        start = i;
      }
    }
    return words;
  }
}

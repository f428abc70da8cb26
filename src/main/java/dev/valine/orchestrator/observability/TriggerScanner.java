package dev.valine.orchestrator.observability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds which of up to 64 trigger words occur in a text, ignoring ASCII case, in one pass without
 * allocating: an Aho-Corasick automaton compiled into a transition table, one array lookup per character.
 * It is the cheap pre-check that lets {@link SecretRedactor} skip every pattern on the common log value
 * that holds no secret. Immutable and thread-safe.
 */
final class TriggerScanner {
  private static final int ALPHABET = 128;

  // Row-major transition table, next[state * ALPHABET + c]: one load per character.
  private final int[] next;
  private final long[] found;

  /**
   * @param triggers lower-case ASCII words; the i-th sets bit i of {@link #scan}'s result
   */
  TriggerScanner(List<String> triggers) {
    if (triggers.size() > 64) {
      throw new IllegalArgumentException("at most 64 triggers");
    }
    List<int[]> edges = new ArrayList<>();
    List<Long> outputs = new ArrayList<>();
    edges.add(newRow());
    outputs.add(0L);
    for (int i = 0; i < triggers.size(); i++) {
      String word = triggers.get(i);
      if (!word.equals(word.toLowerCase(Locale.ROOT)) || word.chars().anyMatch(c -> c >= ALPHABET)) {
        throw new IllegalArgumentException("triggers are lower-case ASCII: " + word);
      }
      int state = 0;
      for (char c : word.toCharArray()) {
        if (edges.get(state)[c] < 0) {
          edges.get(state)[c] = edges.size();
          edges.add(newRow());
          outputs.add(0L);
        }
        state = edges.get(state)[c];
      }
      outputs.set(state, outputs.get(state) | (1L << i));
    }
    // Breadth-first: complete every row with failure transitions, and inherit the outputs of the
    // longest proper suffix, so that scanning never backtracks.
    int[] failure = new int[edges.size()];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    int[] root = edges.get(0);
    for (int c = 0; c < ALPHABET; c++) {
      if (root[c] < 0) {
        root[c] = 0;
      } else {
        failure[root[c]] = 0;
        queue.add(root[c]);
      }
    }
    while (!queue.isEmpty()) {
      int state = queue.poll();
      outputs.set(state, outputs.get(state) | outputs.get(failure[state]));
      int[] row = edges.get(state);
      for (int c = 0; c < ALPHABET; c++) {
        int child = row[c];
        if (child < 0) {
          row[c] = edges.get(failure[state])[c];
        } else {
          failure[child] = edges.get(failure[state])[c];
          queue.add(child);
        }
      }
    }
    this.next = new int[edges.size() * ALPHABET];
    for (int state = 0; state < edges.size(); state++) {
      System.arraycopy(edges.get(state), 0, next, state * ALPHABET, ALPHABET);
    }
    this.found = outputs.stream().mapToLong(Long::longValue).toArray();
  }

  private static int[] newRow() {
    int[] row = new int[ALPHABET];
    java.util.Arrays.fill(row, -1);
    return row;
  }

  /** Bit i is set when trigger i occurs in the text (ASCII case ignored). */
  long scan(CharSequence text) {
    int[] table = next;
    long[] outputs = found;
    int state = 0;
    long result = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        state = 0;
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      state = table[state * ALPHABET + c];
      result |= outputs[state];
    }
    return result;
  }
}

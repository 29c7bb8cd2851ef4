/**
 * Normalised text as ASCII index tokens: one token per character (u + code point) and one per pair of
 * neighbouring characters (b + both code points), in base32 so every token is a plain alphanumeric word of
 * 6 or 11 characters. Such words pass InnoDB's tokenizer and minimum token size (3) and the FTS5 default
 * tokenizer unchanged and are no stopword, so MySQL/MariaDB FULLTEXT and SQLite FTS5 find exactly the same
 * candidate rows; the application then checks the candidates against the normalised text.
 */
const cp = (c: string) => (c.codePointAt(0) ?? 0).toString(32).padStart(5, '0');

export const unigramToken = (c: string) => `u${cp(c)}`;
export const bigramToken = (a: string, b: string) => `b${cp(a)}${cp(b)}`;

/** The distinct tokens of a normalised text, space separated, for the index column. */
export function indexTokens(norm: string): string {
  const chars = Array.from(norm);
  const tokens = new Set<string>();
  chars.forEach((c, i) => {
    tokens.add(unigramToken(c));
    if (i + 1 < chars.length) tokens.add(bigramToken(c, chars[i + 1]));
  });
  return [...tokens].join(' ');
}

/**
 * The tokens a text containing this normalised term must have: its bigrams, or its one unigram for a
 * single character. Long terms use a spread subset: every bigram is implied by the final check anyway,
 * and fewer terms keep the full-text query cheap.
 */
export function requiredTokens(term: string, max = 8): string[] {
  const chars = Array.from(term);
  if (chars.length === 1) return [unigramToken(chars[0])];
  const all = [...new Set(chars.slice(0, -1).map((c, i) => bigramToken(c, chars[i + 1])))];
  if (all.length <= max) return all;
  const step = (all.length - 1) / (max - 1);
  return [...new Set(Array.from({ length: max }, (_, i) => all[Math.round(i * step)]))];
}

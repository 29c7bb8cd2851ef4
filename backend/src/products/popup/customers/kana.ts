/**
 * Folds kana for search: NFKC (half-width ｶﾅ becomes カナ), hiragana as katakana, no spaces,
 * lower-case Latin. "やまだ たろう", "ヤマダタロウ" and "ﾔﾏﾀﾞ ﾀﾛｳ" all fold to "ヤマダタロウ".
 */
export function foldKana(text: string): string {
  return [...text.normalize('NFKC').toLowerCase()]
    .filter((c) => !/\s/.test(c))
    .map((c) => {
      const code = c.charCodeAt(0);
      // ぁ (U+3041) .. ゖ (U+3096) and ゝゞ map to the katakana block 0x60 higher.
      return (code >= 0x3041 && code <= 0x3096) || code === 0x309d || code === 0x309e
        ? String.fromCharCode(code + 0x60)
        : c;
    })
    .join('');
}

/** A LIKE pattern for "contains", with the wildcards of the text escaped by '!' (portable ESCAPE). */
export const containsPattern = (text: string) => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

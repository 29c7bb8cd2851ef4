import { highlightSpans, normalise, normaliseText } from './japanese-normaliser';
import { indexTokens, requiredTokens } from './gram-tokens';

describe('Japanese normaliser', () => {
  it.each([
    ['カタカナ', 'かたかな'],
    ['ｶﾀｶﾅ', 'かたかな'],
    ['ｶﾞｲﾄﾞﾌﾞｯｸ', 'がいどぶっく'],
    ['ﾊﾟﾊﾟ', 'ぱぱ'],
    ['ＡＢＣ１２３', 'abc123'],
    ['お世話に なって　おります。', 'お世話になっております'],
    ['「解約」？！', '解約'],
    ['サービス', 'さーびす'],
    ['ｻｰﾋﾞｽ', 'さーびす'],
    ['㈱テスト', '株てすと'],
    ['ヴァイオリン', 'ゔぁいおりん'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });

  it('maps every normalised character back to the original text, half-width sound marks included', () => {
    const n = normalise('はい、ｶﾞｽ料金です');
    expect(n.norm).toBe('はいがす料金です');
    const at = n.norm.indexOf('がす');
    expect(n.from[at]).toBe(3);
    expect(n.to[at + 1]).toBe(6);
    expect(highlightSpans(n, ['がす料金'])).toEqual([{ start: 3, end: 8 }]);
  });

  it('merges overlapping highlights and finds every occurrence', () => {
    const n = normalise('解約、解約の件');
    expect(highlightSpans(n, ['解約', '約の'])).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 6 },
    ]);
  });

  it('indexes unigram and bigram tokens that are plain ASCII words', () => {
    const tokens = indexTokens('かいやく').split(' ');
    expect(tokens).toHaveLength(4 + 3);
    for (const t of tokens) expect(t).toMatch(/^(u[0-9a-v]{5}|b[0-9a-v]{10})$/);
    expect(requiredTokens('か')).toHaveLength(1);
    expect(requiredTokens('かいやく')).toHaveLength(3);
    expect(requiredTokens('あいうえおかきくけこさしすせそ').length).toBeLessThanOrEqual(8);
  });
});

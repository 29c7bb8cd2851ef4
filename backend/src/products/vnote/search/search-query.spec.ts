import { BadRequestException } from '@nestjs/common';
import { cover, evaluate, parseQuery, positiveTerms, termsOf } from './search-query';

const fieldMessage = (q: string) => {
  try {
    parseQuery(q);
  } catch (e) {
    const body = (e as BadRequestException).getResponse() as { errors: Array<{ field: string; message: string }> };
    return body.errors[0];
  }
  throw new Error(`parsed: ${q}`);
};

describe('search query parser', () => {
  it('ANDs words, normalises each term', () => {
    expect(parseQuery('ｶｲﾔｸ　料金')).toEqual({
      type: 'and',
      items: [
        { type: 'term', text: 'かいやく', phrase: false },
        { type: 'term', text: '料金', phrase: false },
      ],
    });
  });

  it('reads phrases, OR, NOT, minus and parentheses', () => {
    const q = parseQuery('"お世話に なって" (解約 OR 返品) -クレーム NOT 至急');
    expect(termsOf(q)).toEqual(['お世話になって', '解約', '返品', 'くれーむ', '至急']);
    expect(positiveTerms(q)).toEqual(['お世話になって', '解約', '返品']);
    const present = (words: string[]) => (t: string) => words.includes(t);
    expect(evaluate(q, present(['お世話になって', '返品']))).toBe(true);
    expect(evaluate(q, present(['お世話になって']))).toBe(false);
    expect(evaluate(q, present(['お世話になって', '解約', 'くれーむ']))).toBe(false);
    expect(evaluate(parseQuery('解約 ｜ 返品'), present(['返品']))).toBe(true);
  });

  it('proposes candidates from the most selective part of an AND and from every side of an OR', () => {
    expect(cover(parseQuery('あ 解約手続き'))).toEqual(['解約手続き']);
    expect(cover(parseQuery('解約 OR 返品'))).toEqual(['解約', '返品']);
    expect(cover(parseQuery('解約 -返品'))).toEqual(['解約']);
  });

  it.each([
    ['"お世話に', 'unbalanced quotes'],
    ['お世話"に', 'unbalanced quotes'],
    ['(解約 OR 返品', 'unbalanced parentheses'],
    ['解約)', 'unbalanced parentheses'],
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['-解約', 'needs at least one word'],
    ['NOT 解約', 'needs at least one word'],
    ['解約 OR', 'operator without a word'],
    ['。、', 'nothing searchable'],
    ['あ'.repeat(201), 'too long'],
  ])('%s is refused: %s', (q, message) => {
    const problem = fieldMessage(q);
    expect(problem.field).toBe('q');
    expect(problem.message).toContain(message);
  });
});

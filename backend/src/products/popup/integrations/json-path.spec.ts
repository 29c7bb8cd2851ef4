import { cardText, JsonPathError, parseJsonPath, readJsonPath } from './json-path';

describe('JSONPath subset', () => {
  const answer = {
    records: [{ 顧客: { 氏名: '山田 太郎' }, 'rank.level': 'A', tel: ['03', '090'] }, { 顧客: { 氏名: '山田 花子' } }],
    count: 2,
    ok: true,
  };

  it.each([
    ['$', answer],
    ['$.count', 2],
    ['$.records[0].顧客.氏名', '山田 太郎'],
    ["$.records[0]['rank.level']", 'A'],
    ['$["records"][1]["顧客"].氏名', '山田 花子'],
    ['$.records[-1].顧客.氏名', '山田 花子'],
    ['$.records[0].tel[1]', '090'],
    ['$.records[5].顧客', undefined],
    ['$.count.deeper', undefined],
    ['$.records.length', undefined],
    ['$.constructor', undefined],
  ])('%s', (path, expected) => {
    expect(readJsonPath(answer, parseJsonPath(path))).toEqual(expected);
  });

  it.each(['records', '$.', '$..name', '$.a[*]', '$.a[?(@.x)]', "$['unterminated]", '$.a b', '$[1:2]'])(
    'refuses %s',
    (path) => {
      expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    },
  );

  it('turns scalars into card text and drops objects', () => {
    expect([
      cardText('x'),
      cardText(3),
      cardText(false),
      cardText({}),
      cardText([]),
      cardText(' '),
      cardText(null),
    ]).toEqual(['x', '3', 'false', null, null, null, null]);
  });
});

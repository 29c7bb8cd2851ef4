import { MAX_ENTRY_LENGTH, parseEntries } from './dictionary-entries';

describe('parseEntries (bulk paste)', () => {
  it('splits on lines, commas, Japanese commas and tabs; trims; drops blanks and duplicates', () => {
    const text = 'バカ\r\n  アホ \n\nバカ,ふざけるな、うるさい\tアホ';
    expect(parseEntries(text, ['うるさい'])).toEqual({ added: ['バカ', 'アホ', 'ふざけるな'], tooLong: [] });
  });

  it('keeps entries the server would refuse apart instead of sending them', () => {
    const long = 'x'.repeat(MAX_ENTRY_LENGTH + 1);
    expect(parseEntries(`ok\n${long}`, [])).toEqual({ added: ['ok'], tooLong: [long] });
  });
});

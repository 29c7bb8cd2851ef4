/** The server's limit on `q` (docs/vnote/search-api.md). */
export const MAX_QUERY_LENGTH = 200;

/** Examples shown in the syntax help; the i18n key under vnote.search.help explains each. */
export const QUERY_EXAMPLES: { query: string; key: string }[] = [
  { query: '料金 解約', key: 'and' },
  { query: '"お世話になっております"', key: 'phrase' },
  { query: '解約 OR 退会', key: 'or' },
  { query: '解約 -キャンペーン', key: 'not' },
  { query: '(解約 OR 退会) NOT 引き止め', key: 'group' },
];

export type TermRole = 'all' | 'any' | 'none';
/** One word or phrase of a query and what it does: must appear, one of several, must not. */
export interface QueryTerm {
  text: string;
  phrase: boolean;
  role: TermRole;
}

export type QueryProblem = 'quotes' | 'parens' | 'tooLong' | 'onlyExclusions';

type Token = { kind: 'word' | 'phrase'; text: string; not: boolean } | { kind: 'or' | 'open' | 'close' | 'not' };

function tokenize(q: string): Token[] | 'quotes' {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i];
    if (/\s/.test(ch)) i++;
    else if ('(（)）|｜'.includes(ch)) {
      tokens.push({ kind: ch === '(' || ch === '（' ? 'open' : ch === ')' || ch === '）' ? 'close' : 'or' });
      i++;
    } else {
      const not = (ch === '-' || ch === '－') && i + 1 < q.length && !/\s/.test(q[i + 1]);
      if (not) i++;
      if (q[i] === '"' || q[i] === '”' || q[i] === '“') {
        const close = q.slice(i + 1).search(/["”“]/);
        if (close < 0) return 'quotes';
        tokens.push({ kind: 'phrase', text: q.slice(i + 1, i + 1 + close), not });
        i += close + 2;
        continue;
      }
      const m = /^[^\s()（）|｜"”“]+/.exec(q.slice(i));
      const word = m ? m[0] : q[i];
      i += word.length;
      if (!not && word === 'OR') tokens.push({ kind: 'or' });
      else if (!not && word === 'NOT') tokens.push({ kind: 'not' });
      else tokens.push({ kind: 'word', text: word, not });
    }
  }
  return tokens;
}

/** What a query will look for, for the line under the query box; problems mirror the server's errors. */
export function explainQuery(q: string): { terms: QueryTerm[]; problem: QueryProblem | null } {
  if (q.length > MAX_QUERY_LENGTH) return { terms: [], problem: 'tooLong' };
  const tokens = tokenize(q);
  if (tokens === 'quotes') return { terms: [], problem: 'quotes' };
  let depth = 0;
  for (const t of tokens) {
    depth += t.kind === 'open' ? 1 : t.kind === 'close' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) return { terms: [], problem: 'parens' };
  const terms: QueryTerm[] = [];
  let negateNext = false;
  let level = 0;
  // NOT before a group negates the whole group: remember the level it opened at.
  let negatedFrom: number | null = null;
  tokens.forEach((t, i) => {
    if (t.kind === 'open') {
      level++;
      if (negateNext && negatedFrom === null) negatedFrom = level;
      negateNext = false;
    } else if (t.kind === 'close') {
      if (negatedFrom === level) negatedFrom = null;
      level--;
    } else if (t.kind === 'not') negateNext = true;
    if (t.kind !== 'word' && t.kind !== 'phrase') return;
    const orNear = tokens[i - 1]?.kind === 'or' || tokens[i + 1]?.kind === 'or';
    const not = t.not || negateNext || negatedFrom !== null;
    negateNext = false;
    if (!t.text.trim()) return;
    terms.push({ text: t.text, phrase: t.kind === 'phrase', role: not ? 'none' : orNear ? 'any' : 'all' });
  });
  if (terms.length && terms.every((t) => t.role === 'none')) return { terms, problem: 'onlyExclusions' };
  return { terms, problem: null };
}

import { fieldError } from '../../../platform/http/field-errors';
import { normaliseText } from './japanese-normaliser';

export const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 20;

/** A parsed query. Terms hold normalised text; a call matches a term when one of its texts contains it. */
export type QueryNode =
  | { type: 'term'; text: string; phrase: boolean }
  | { type: 'and'; items: QueryNode[] }
  | { type: 'or'; items: QueryNode[] }
  | { type: 'not'; item: QueryNode };

type Token =
  { kind: 'word'; text: string; phrase: boolean; negated: boolean } | { kind: 'open' | 'close' | 'or' | 'and' | 'not' };

const SPACE = /[\s\u3000]/;
const QUOTES = new Set(['"', '“', '”', '＂']);
const OPEN = new Set(['(', '（']);
const CLOSE = new Set([')', '）']);

/**
 * Parses the search box: words are ANDed, "..." is a phrase, OR / | / ｜ between alternatives, -word or
 * NOT word excludes, parentheses group. Anything malformed is a field error on `q`, never a guess.
 */
export function parseQuery(raw: string): QueryNode {
  if (raw.length > MAX_QUERY_LENGTH) throw fieldError('q', `is too long (max ${MAX_QUERY_LENGTH})`);
  const tokens = tokenize(raw);
  if (!tokens.length) throw fieldError('q', 'is empty');
  let pos = 0;
  const peek = () => tokens[pos];

  const parseOr = (): QueryNode => {
    const items = [parseAnd()];
    while (peek()?.kind === 'or') {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0] : { type: 'or', items };
  };
  const parseAnd = (): QueryNode => {
    const items: QueryNode[] = [];
    for (;;) {
      const t = peek();
      if (!t || t.kind === 'close' || t.kind === 'or') break;
      if (t.kind === 'and') {
        pos++;
        continue;
      }
      items.push(parseUnary());
    }
    if (!items.length) throw fieldError('q', 'has an operator without a word beside it');
    return items.length === 1 ? items[0] : { type: 'and', items };
  };
  const parseUnary = (): QueryNode => {
    const t = tokens[pos++];
    if (t.kind === 'not') {
      if (!peek() || ['close', 'or', 'and'].includes(peek().kind))
        throw fieldError('q', 'has NOT without a word after it');
      return { type: 'not', item: parseUnary() };
    }
    if (t.kind === 'open') {
      const inner = parseOr();
      if (peek()?.kind !== 'close') throw fieldError('q', 'has unbalanced parentheses');
      pos++;
      return inner;
    }
    if (t.kind === 'word') {
      const text = normaliseText(t.text);
      if (!text) throw fieldError('q', `"${t.text}" has nothing searchable (only spaces or punctuation)`);
      const term: QueryNode = { type: 'term', text, phrase: t.phrase };
      return t.negated ? { type: 'not', item: term } : term;
    }
    throw fieldError(
      'q',
      t.kind === 'close' ? 'has unbalanced parentheses' : `has ${t.kind.toUpperCase()} in a wrong place`,
    );
  };

  const root = parseOr();
  if (pos < tokens.length) throw fieldError('q', 'has unbalanced parentheses');
  if (termsOf(root).length > MAX_TERMS) throw fieldError('q', `has more than ${MAX_TERMS} words`);
  if (!cover(root)) throw fieldError('q', 'needs at least one word to find (it only excludes)');
  return root;
}

function tokenize(raw: string): Token[] {
  const tokens: Token[] = [];
  const chars = Array.from(raw);
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (SPACE.test(c)) {
      i++;
    } else if (OPEN.has(c)) {
      tokens.push({ kind: 'open' });
      i++;
    } else if (CLOSE.has(c)) {
      tokens.push({ kind: 'close' });
      i++;
    } else if (c === '|' || c === '｜') {
      tokens.push({ kind: 'or' });
      i++;
    } else {
      const negated = c === '-' && i + 1 < chars.length && !SPACE.test(chars[i + 1]);
      if (negated) i++;
      if (QUOTES.has(chars[i])) {
        const end = chars.findIndex((ch, k) => k > i && QUOTES.has(ch));
        if (end < 0) throw fieldError('q', 'has unbalanced quotes');
        tokens.push({ kind: 'word', text: chars.slice(i + 1, end).join(''), phrase: true, negated });
        i = end + 1;
        continue;
      }
      let j = i;
      while (j < chars.length && !SPACE.test(chars[j]) && !OPEN.has(chars[j]) && !CLOSE.has(chars[j])) {
        if (QUOTES.has(chars[j]) || chars[j] === '|' || chars[j] === '｜') break;
        j++;
      }
      if (j < chars.length && QUOTES.has(chars[j]) && j > i) throw fieldError('q', 'has unbalanced quotes');
      const word = chars.slice(i, j).join('');
      i = j;
      if (!negated && (word === 'OR' || word === 'AND' || word === 'NOT')) {
        tokens.push({ kind: word.toLowerCase() as 'or' | 'and' | 'not' });
      } else if (word) {
        tokens.push({ kind: 'word', text: word, phrase: false, negated });
      }
    }
  }
  return tokens;
}

/** Every term of the query (positive or excluded), distinct. */
export function termsOf(node: QueryNode): string[] {
  const out = new Set<string>();
  const walk = (n: QueryNode) => {
    if (n.type === 'term') out.add(n.text);
    else if (n.type === 'not') walk(n.item);
    else n.items.forEach(walk);
  };
  walk(node);
  return [...out];
}

/** Terms not under a NOT: what a hit highlights. */
export function positiveTerms(node: QueryNode): string[] {
  const out = new Set<string>();
  const walk = (n: QueryNode) => {
    if (n.type === 'term') out.add(n.text);
    else if (n.type !== 'not') n.items.forEach(walk);
  };
  walk(node);
  return [...out];
}

/**
 * Terms of which every matching call contains at least one: the candidates the index must find. An AND
 * needs only one child's cover (the longest term, the rarest in practice); an OR needs all; a NOT gives none.
 */
export function cover(node: QueryNode): string[] | null {
  if (node.type === 'term') return [node.text];
  if (node.type === 'not') return null;
  const covers = node.items.map(cover);
  if (node.type === 'or') return covers.some((c) => !c) ? null : [...new Set(covers.flat() as string[])];
  const usable = covers.filter((c): c is string[] => !!c);
  if (!usable.length) return null;
  const score = (c: string[]) => Math.min(...c.map((t) => t.length)) - c.length;
  return usable.sort((a, b) => score(b) - score(a))[0];
}

/** Whether a call whose texts contain exactly the terms in `present` matches. */
export function evaluate(node: QueryNode, present: (term: string) => boolean): boolean {
  switch (node.type) {
    case 'term':
      return present(node.text);
    case 'not':
      return !evaluate(node.item, present);
    case 'and':
      return node.items.every((n) => evaluate(n, present));
    case 'or':
      return node.items.some((n) => evaluate(n, present));
  }
}

/**
 * A small JSONPath subset for mapping an answer's fields onto a card, read without eval:
 *
 *   $                      the whole answer
 *   $.customer.name        a member by name (any characters but . [ ] and quotes, so $.顧客.氏名 works)
 *   $['会社 名']  $["x.y"]   a member by quoted name (for spaces, dots, brackets)
 *   $.records[0]           an array element (0-based; [-1] is the last)
 *
 * Nothing else (no wildcards, filters, recursion or scripts): a path either names one value or
 * is refused when saved.
 */
export type PathStep = string | number;

export class JsonPathError extends Error {}

export function parseJsonPath(path: string): PathStep[] {
  const text = path.trim();
  if (!text.startsWith('$')) throw new JsonPathError('must start with $');
  const steps: PathStep[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const match = /^[^.[\]'"\s]+/.exec(text.slice(i + 1));
      if (!match) throw new JsonPathError(`a member name is missing after "." at ${i + 1}`);
      steps.push(match[0]);
      i += 1 + match[0].length;
    } else if (c === '[') {
      const index = /^\[(-?\d{1,6})\]/.exec(text.slice(i));
      const quoted = /^\[(['"])((?:(?!\1)[^\\]|\\.)*)\1\]/.exec(text.slice(i));
      if (index) {
        steps.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        steps.push(quoted[2].replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else {
        throw new JsonPathError(`expected [number] or ['name'] at ${i + 1}`);
      }
    } else {
      throw new JsonPathError(`unexpected "${c}" at ${i + 1}`);
    }
  }
  return steps;
}

/** The value the steps name, or undefined when any step is missing. */
export function readJsonPath(value: unknown, steps: PathStep[]): unknown {
  let at: unknown = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(at)) return undefined;
      at = at[step < 0 ? at.length + step : step];
    } else {
      if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(at, step)) return undefined;
      at = (at as Record<string, unknown>)[step];
    }
  }
  return at;
}

/** A value as a card shows it: text for scalars, null for nothing, objects and arrays. */
export function cardText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() ? value.slice(0, 2000) : null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

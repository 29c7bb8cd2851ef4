import { readFileSync } from 'fs';
import { join } from 'path';

type Tree = { [key: string]: string | Tree };

function load(lang: string): Tree {
  return JSON.parse(readFileSync(join(__dirname, '../../public/i18n', `${lang}.json`), 'utf8'));
}

function flatten(tree: Tree, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out[prefix + k] = v;
    else Object.assign(out, flatten(v, `${prefix}${k}.`));
  }
  return out;
}

const placeholders = (s: string) => (s.match(/\{\{\s*\w+\s*\}\}/g) ?? []).map((p) => p.replace(/\s/g, '')).sort();

describe('translations', () => {
  const ja = flatten(load('ja'));
  const en = flatten(load('en'));

  it('ja.json and en.json have identical key sets', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(ja)) {
      expect({ key, p: placeholders(en[key] ?? '') }).toEqual({ key, p: placeholders(ja[key]) });
    }
  });

  it('have no empty strings', () => {
    const empty = [...Object.entries(ja), ...Object.entries(en)].filter(([, v]) => !v.trim());
    expect(empty).toEqual([]);
  });
});

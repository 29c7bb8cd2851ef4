import { UserPrefs, loadSavedSearches, storeSavedSearches, withSaved } from './saved-searches';
import { DEFAULT_FILTERS } from './search-filters';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
}

describe('saved searches', () => {
  it('keeps each user apart and stores only what differs from the defaults', () => {
    const storage = new MemoryStorage();
    const alice = new UserPrefs('alice', storage);
    const list = withSaved([], '  山田さん ', { ...DEFAULT_FILTERS, number: '03-1234-5678' }, 'id1');
    expect(storeSavedSearches(alice, list)).toBe(true);
    expect(JSON.parse(storage.getItem('recordings.savedSearches.v1.alice') ?? '')).toEqual([
      { id: 'id1', name: '山田さん', filters: { number: '03-1234-5678' } },
    ]);
    expect(loadSavedSearches(alice)).toEqual([
      { id: 'id1', name: '山田さん', filters: { ...DEFAULT_FILTERS, number: '03-1234-5678' } },
    ]);
    expect(loadSavedSearches(new UserPrefs('bob', storage))).toEqual([]);
  });

  it('replaces a search saved under the same name and puts the newest first', () => {
    let list = withSaved([], 'a', DEFAULT_FILTERS, '1');
    list = withSaved(list, 'b', DEFAULT_FILTERS, '2');
    list = withSaved(list, 'a', { ...DEFAULT_FILTERS, period: 'today' }, '3');
    expect(list.map((s) => [s.id, s.name, s.filters.period])).toEqual([
      ['3', 'a', 'today'],
      ['2', 'b', 'last30'],
    ]);
  });

  it('survives broken or refused storage', () => {
    const storage = new MemoryStorage();
    storage.setItem('recordings.savedSearches.v1.u', '{not json');
    expect(loadSavedSearches(new UserPrefs('u', storage))).toEqual([]);
    storage.setItem(
      'recordings.savedSearches.v1.u',
      JSON.stringify([{ id: 1 }, { id: 'x', name: 'ok', filters: { period: 'bogus' } }]),
    );
    expect(loadSavedSearches(new UserPrefs('u', storage))).toEqual([{ id: 'x', name: 'ok', filters: DEFAULT_FILTERS }]);
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(new UserPrefs('u', full).write('columns', [])).toBe(false);
    expect(new UserPrefs('u', null).write('columns', [])).toBe(false);
  });
});

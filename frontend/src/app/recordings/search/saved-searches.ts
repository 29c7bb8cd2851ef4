import { SearchFilters, changedFilters, sanitizeFilters } from './search-filters';

export interface SavedSearch {
  id: string;
  name: string;
  filters: SearchFilters;
}

const MAX_SAVED = 30;

/**
 * Per-user preferences of the search page kept in this browser's localStorage, keyed by the user's
 * id so people sharing a PC keep theirs apart. They do not follow the user to another browser;
 * there is no server-side store for them yet.
 */
export class UserPrefs {
  constructor(
    private readonly userId: string,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage(),
  ) {}

  read<T>(name: string): T | null {
    try {
      const raw = this.storage?.getItem(this.key(name));
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  }

  /** False when the browser refused (storage full or blocked): the caller says so. */
  write(name: string, value: unknown): boolean {
    try {
      if (!this.storage) return false;
      this.storage.setItem(this.key(name), JSON.stringify(value));
      return true;
    } catch {
      return false;
    }
  }

  private key(name: string): string {
    return `recordings.${name}.v1.${this.userId}`;
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadSavedSearches(prefs: UserPrefs): SavedSearch[] {
  const raw = prefs.read<unknown>('savedSearches');
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((s): s is { id: string; name: string; filters: Record<string, unknown> } => {
      const o = s as Record<string, unknown>;
      return typeof o?.['id'] === 'string' && typeof o['name'] === 'string' && typeof o['filters'] === 'object';
    })
    .map((s) => ({ id: s.id, name: s.name.slice(0, 60), filters: sanitizeFilters(s.filters ?? {}) }))
    .slice(0, MAX_SAVED);
}

/** Adds (or replaces, by name) a saved search; the newest first. */
export function withSaved(list: SavedSearch[], name: string, filters: SearchFilters, id: string): SavedSearch[] {
  const trimmed = name.trim().slice(0, 60);
  const rest = list.filter((s) => s.name !== trimmed);
  return [{ id, name: trimmed, filters }, ...rest].slice(0, MAX_SAVED);
}

export function storeSavedSearches(prefs: UserPrefs, list: SavedSearch[]): boolean {
  return prefs.write(
    'savedSearches',
    list.map((s) => ({ id: s.id, name: s.name, filters: changedFilters(s.filters) })),
  );
}

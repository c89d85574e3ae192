// Master data remembered between postings (docs/odoo.md#master-data-cache): the trading partner,
// addresses, units, products, carriers, countries found by the same search a moment ago are not
// asked for again while the cache's lifetime (ODOO_CACHE_SECONDS, default 60) runs. Only what was
// found is kept: a search that found nothing (or failed) is asked again by the next document, so a
// product a person just created is seen at once. What a posting creates or changes (orders,
// receipts, bills, messages) is never cached: every posting still looks up before it creates.
// A posting rejected while it used remembered data runs once more with fresh reads (target.ts), so a
// stale entry can delay nothing a person fixed.

/** Shared by every posting of one target (one gateway process). */
export interface MasterDataCache {
  /** A view for one posting; `fresh`: read nothing remembered (still remember what it finds). */
  forPosting(fresh: boolean): PostingCache;
  /** Forgets everything (tests, configuration changes). */
  clear(): void;
}

/** One posting's view of the cache. */
export interface PostingCache {
  /** The value remembered under `key`, or `load()`'s, remembered when `keep` says it was found. */
  remember<T>(key: string, load: () => Promise<T>, keep: (value: T) => boolean): Promise<T>;
  /** Whether this posting used anything remembered by an earlier one. */
  readonly used: boolean;
}

export interface CacheOptions {
  /** Lifetime of an entry; 0 turns the cache off. */
  seconds: number;
  /** At most this many entries (expired ones go first, then everything). */
  maxEntries?: number;
  now?: () => number;
}

export const DEFAULT_CACHE_SECONDS = 60;

export function masterDataCache(options: CacheOptions): MasterDataCache {
  const ttlMs = options.seconds * 1000;
  const maxEntries = options.maxEntries ?? 20_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: Promise<unknown>; until: number }>();

  const prune = () => {
    const t = now();
    for (const [key, e] of entries) if (e.until <= t) entries.delete(key);
    if (entries.size >= maxEntries) entries.clear();
  };

  return {
    clear: () => entries.clear(),
    forPosting(fresh) {
      let used = false;
      return {
        get used() {
          return used;
        },
        async remember<T>(key: string, load: () => Promise<T>, keep: (value: T) => boolean): Promise<T> {
          if (ttlMs <= 0) return load();
          const hit = entries.get(key);
          if (!fresh && hit && hit.until > now()) {
            used = true;
            return hit.value as Promise<T>;
          }
          const value = load();
          // Held while it loads, so documents posted at once ask once; dropped unless it found something.
          const entry = { value: value as Promise<unknown>, until: now() + ttlMs };
          if (entries.size >= maxEntries) prune();
          entries.set(key, entry);
          const drop = () => {
            if (entries.get(key) === entry) entries.delete(key);
          };
          value.then((v) => keep(v) || drop(), drop);
          return value;
        },
      };
    },
  };
}

/** Without a cache (a context built by hand): every search asked. */
export const NO_CACHE: PostingCache = { used: false, remember: (_key, load) => load() };

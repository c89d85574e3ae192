// Defaults merge as { ...BUILT_IN, ...defined(given) }: a key written but undefined (an optional
// schema key left out) must not hide the default beneath it.

/** The object's own entries whose value is not undefined. */
export function defined<T extends object>(o: T | undefined): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}

// One frozen empty list shared by every document a map reads where a list field is empty.
// A large ship notice has a carton per pack and an item per carton, each with several lists
// (marks, references, dates, lots, packs, other product ids) that are almost always empty; a
// fresh [] for each was a fifth of what the read kept alive, copied by every young-generation
// collection (docs/x12.md#the-856-hierarchy). Documents are read, serialized and
// posted, never added to in place: a push into the shared list throws rather than leaking.
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** The shared empty list (typed to fit any list field). */
export function noItems<T>(): T[] {
  return NONE;
}

/** `list` when it holds something, else the shared empty list; `undefined` counts as empty. */
export function listOrNone<T>(list: T[] | undefined): T[] {
  return list !== undefined && list.length > 0 ? list : NONE;
}

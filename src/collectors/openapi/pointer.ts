/** RFC 6901 JSON pointers: building, splitting and following them in parsed documents. */

// Both run once per schema node of a large spec: most segments need no escaping, so check before replacing.
export function escapeSegment(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(segment: string): string {
  if (!segment.includes('~')) return segment;
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function appendPointer(pointer: string, segment: string | number): string {
  return `${pointer}/${typeof segment === 'number' ? segment : escapeSegment(segment)}`;
}

/** '' → [], '/a/b~1c' → ['a', 'b/c']. A leading '#' (URI fragment form) is accepted. */
export function splitPointer(pointer: string): string[] {
  let p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (p === '') return [];
  // Without a '%' there is nothing to decode (decodeURIComponent would return the same text, at a copy's cost).
  if (p.includes('%')) {
    try {
      p = decodeURIComponent(p);
    } catch {
      // A literal '%' that is not an escape: keep the pointer as written.
    }
  }
  return p.slice(1).split('/').map(unescapeSegment);
}

/** The value at `segments` inside `root`, or undefined when any step is missing. */
export function getAtSegments(root: unknown, segments: readonly string[]): { found: boolean; value: unknown } {
  let current: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(segment)) return { found: false, value: undefined };
      const index = Number(segment);
      if (index >= current.length) return { found: false, value: undefined };
      current = current[index];
    } else if (current !== null && typeof current === 'object') {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return { found: false, value: undefined };
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: current };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

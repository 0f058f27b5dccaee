import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMAIN } from '../../src/core/crypto/domain.js';

const docs = join(import.meta.dirname, '../../docs');

/** Tags documented as the first cell of a Markdown table row: | `sceau/v1/...` | ... | */
function documentedTags(): Set<string> {
  const tags = new Set<string>();
  for (const file of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
    for (const m of readFileSync(join(docs, file), 'utf8').matchAll(/^\|\s*`(sceau\/v\d+\/[^`]+)`\s*\|/gm)) tags.add(m[1]!);
  }
  return tags;
}

describe('domain tags', () => {
  it('are unique in the code', () => {
    const values = Object.values(DOMAIN);
    expect(new Set(values).size).toBe(values.length);
  });
  it('are exactly those the specification lists', () => {
    expect([...documentedTags()].sort()).toEqual([...Object.values(DOMAIN)].sort());
  });
});

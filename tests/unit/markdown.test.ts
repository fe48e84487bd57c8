import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, slug, type Block, type Inline } from '@/lib/render/markdown';

const doc = readFileSync(new URL('../../docs/policy-format.md', import.meta.url), 'utf8');

function plain(items: Inline[]): string {
  return items.map((i) => ('text' in i ? i.text : plain(i.children))).join('');
}

describe('markdown reader for shipped documents', () => {
  it('reads inline code, bold, italic and links, and leaves the rest as text', () => {
    expect(parseInline('a `b|c` **d** *e* [f](#g) h')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'code', text: 'b|c' },
      { kind: 'text', text: ' ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'd' }] },
      { kind: 'text', text: ' ' },
      { kind: 'em', children: [{ kind: 'text', text: 'e' }] },
      { kind: 'text', text: ' ' },
      { kind: 'link', href: '#g', children: [{ kind: 'text', text: 'f' }] },
      { kind: 'text', text: ' h' },
    ]);
    expect(parseInline('<script>alert(1)</script>')).toEqual([{ kind: 'text', text: '<script>alert(1)</script>' }]);
  });

  it('reads tables with pipes inside code, lists with wrapped items, headings and fences', () => {
    const blocks = parseMarkdown(
      '# Title here\n\n| a | b |\n| --- | --- |\n| `x|y` | z |\n\n- one\n  continued\n- two\n\n```\nraw **not bold**\n```\ntext\n',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'table', 'list', 'code', 'paragraph']);
    const table = blocks[1] as Extract<Block, { kind: 'table' }>;
    expect(table.rows[0]!.map(plain)).toEqual(['x|y', 'z']);
    const list = blocks[2] as Extract<Block, { kind: 'list' }>;
    expect(list.items.map(plain)).toEqual(['one continued', 'two']);
    expect(blocks[3]).toEqual({ kind: 'code', text: 'raw **not bold**' });
    expect(slug('Versions and migration')).toBe('versions-and-migration');
  });

  it('renders the policy format document: every heading, every table row, and its own anchors resolve', () => {
    const blocks = parseMarkdown(doc);
    const lines = doc.split('\n');
    const headings = blocks.filter((b) => b.kind === 'heading');
    expect(headings.length).toBe(lines.filter((l) => /^#{1,6}\s/.test(l)).length);
    const tableRows = blocks.flatMap((b) => (b.kind === 'table' ? b.rows : []));
    const sourceRows = lines.filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l)).length;
    const tables = blocks.filter((b) => b.kind === 'table').length;
    expect(tableRows.length).toBe(sourceRows - tables); // every row but each table's head
    const ids = new Set(headings.map((h) => (h as Extract<Block, { kind: 'heading' }>).id));
    const anchors = [...doc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(anchors.length).toBeGreaterThan(0);
    for (const anchor of anchors) expect(ids).toContain(anchor);
  });
});

import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../scripts/cli/parse-args';
import { parseRenderArgs } from '../../scripts/render';

describe('render options', () => {
  it('npm run audit takes --html FILE and --csv DIR', () => {
    const parsed = parseArgs(['o2toit.com', '--html', 'out/r.html', '--csv=out/csv']);
    expect(parsed).toMatchObject({ kind: 'options', options: { html: 'out/r.html', csv: 'out/csv' } });
    expect(parseArgs(['o2toit.com', '--html', ''])).toEqual({ kind: 'error', message: '--html is empty' });
    expect(parseArgs(['o2toit.com', '--csv'])).toEqual({ kind: 'error', message: '--csv needs a value' });
    const plain = parseArgs(['o2toit.com']);
    expect(plain.kind === 'options' && ('html' in plain.options || 'csv' in plain.options)).toBe(false);
  });

  it('npm run render checks its options', () => {
    expect(parseRenderArgs(['r.json', '--format', 'html'])).toEqual({ file: 'r.json', format: 'html', lang: 'fr' });
    expect(parseRenderArgs(['r.json', '--format=csv', '--lang', 'en', '--out', 'd'])).toEqual({
      file: 'r.json',
      format: 'csv',
      lang: 'en',
      out: 'd',
    });
    expect(parseRenderArgs(['r.json', '--format', 'csv'])).toMatch(/needs --out DIR/);
    expect(parseRenderArgs(['r.json', '--format', 'html', '--lang', 'de'])).toMatch(/--lang must be fr or en/);
    expect(parseRenderArgs(['--format', 'html'])).toBe('missing the report file');
    expect(parseRenderArgs(['a.json', 'b.json', '--format', 'html'])).toMatch(/one report file expected/);
    expect(parseRenderArgs(['r.json', '--format', 'html', '--format', 'csv'])).toBe('--format given twice');
    expect(parseRenderArgs(['r.json', '--pdf'])).toMatch(/unknown option --pdf/);
    expect(parseRenderArgs(['--help'])).toBe('help');
  });
});

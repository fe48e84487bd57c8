import { describe, expect, it } from 'vitest';
import { parseUrlList, type ListEntry } from '../../scripts/cli/url-list';
import { parseListArgs } from '../../scripts/cli/parse-list-args';
import { worstExitCode } from '../../scripts/cli/exit-code';
import { createLimit } from '../../scripts/cli/limit';

const DIR = '/lists';
const entries = (text: string): ListEntry[] => {
  const result = parseUrlList(text, 'sites.txt', DIR);
  if (!result.ok) throw new Error(`expected entries, got ${result.message}`);
  return result.entries;
};
const failure = (text: string): string => {
  const result = parseUrlList(text, 'sites.txt', DIR);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.entries)}`);
  expect(result.message).not.toContain('\n');
  return result.message;
};

describe('the --urls list (scripts/cli/url-list.ts)', () => {
  it('reads one URL a line, with an optional policy after spaces, skipping blanks and # comments', () => {
    const text = [
      '# sites of the March campaign',
      '',
      'https://www.o2toit.com/',
      '   ',
      'https://www.example-boutique.fr/   policies/boutique.json  # checked by legal',
      '  # an indented comment',
      'o2toit.com/contact#top',
    ].join('\n');
    expect(entries(text)).toEqual([
      { line: 3, url: 'https://www.o2toit.com/' },
      { line: 5, url: 'https://www.example-boutique.fr/', policy: '/lists/policies/boutique.json' },
      // A bare host gets https, and a URL's own #fragment is not a comment.
      { line: 7, url: 'https://o2toit.com/contact#top' },
    ]);
  });

  it('takes a tab-separated policy path with spaces, keeps absolute paths, and reads CRLF and a BOM', () => {
    const text = '\uFEFFhttps://a.example/\tMy Policies/a b.json\r\nhttps://b.example/ /abs/b.json\r\n';
    expect(entries(text)).toEqual([
      { line: 1, url: 'https://a.example/', policy: '/lists/My Policies/a b.json' },
      { line: 2, url: 'https://b.example/', policy: '/abs/b.json' },
    ]);
  });

  it('refuses, naming the line, a bad URL, extra fields, a repeated URL and an empty list', () => {
    expect(failure('https://a.example/\nftp://b.example/')).toBe(
      'sites.txt line 2: the URL must be http or https, got "ftp://b.example/"',
    );
    expect(failure('https://a.example/ a.json b.json')).toMatch(/^sites\.txt line 1: one URL and at most one policy/);
    expect(failure('https://a.example/\n# x\na.example')).toBe(
      'sites.txt line 3: https://a.example/ is already on line 1',
    );
    expect(failure('# nothing\n\n')).toBe('sites.txt lists no URL');
  });
});

describe('the list options (scripts/cli/parse-list-args.ts)', () => {
  const list = (argv: string[]) => {
    const result = parseListArgs(argv);
    if (result.kind !== 'list') throw new Error(`expected list options, got ${JSON.stringify(result)}`);
    return result.options;
  };
  const error = (argv: string[]) => {
    const result = parseListArgs(argv);
    if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
    return result.message;
  };

  it('has the documented defaults and passes the other options to every site', () => {
    const o = list(['--urls', 'sites.txt', '--scenario', 'none', '--fail-on', 'high']);
    expect(o).toMatchObject({ urls: 'sites.txt', concurrency: 2, html: false, csv: false, lang: 'fr' });
    expect(o.outDir).toBeUndefined();
    expect(o.audit).toMatchObject({ scenarios: ['none'], failOn: 'high', waitMs: 3000, browser: 'chromium' });
    expect(o.audit).not.toHaveProperty('url');
  });

  it('reads --concurrency, --out DIR, --lang and the --html/--csv flags', () => {
    expect(
      list(['--urls=l.txt', '--concurrency', '3', '--out', 'out', '--html', '--csv', '--lang', 'en']),
    ).toMatchObject({ urls: 'l.txt', concurrency: 3, outDir: 'out', html: true, csv: true, lang: 'en' });
  });

  it('refuses a URL argument, --policy, a bad --concurrency and the shared options’ mistakes', () => {
    expect(error(['--urls', 'l.txt', 'https://a.example/'])).toBe(
      '--urls FILE replaces the URL argument: got https://a.example/ too',
    );
    expect(error(['--urls', 'l.txt', '--policy', 'p.json'])).toMatch(/^--policy does not apply to --urls/);
    for (const n of ['0', '17', 'two'])
      expect(error(['--urls', 'l.txt', '--concurrency', n])).toBe(
        `--concurrency wants a whole number from 1 to 16, got "${n}"`,
      );
    expect(error(['--urls', 'l.txt', '--html=x.html'])).toMatch(/^--html takes no value with --urls/);
    expect(error(['--urls', 'l.txt', '--pages', 'many'])).toBe('--pages wants a whole number from 0 to 50, got "many"');
    expect(error(['--urls', 'l.txt', '--urls', 'm.txt'])).toBe('--urls given twice');
  });
});

describe('the exit status of a list: the worst site’s', () => {
  const codes = [0, 1, 2] as const;
  for (const a of codes)
    for (const b of codes)
      for (const c of codes) {
        // Written out: a failure (2) beats findings (1), which beat a clean site (0).
        const expected = [a, b, c].includes(2) ? 2 : [a, b, c].includes(1) ? 1 : 0;
        it(`sites exiting ${a}, ${b}, ${c} exit ${expected}`, () => expect(worstExitCode([a, b, c])).toBe(expected));
      }
  it('an empty list exits 0', () => expect(worstExitCode([])).toBe(0));
});

describe('createLimit (browsers at a time)', () => {
  it('never runs more than n tasks at once, and runs them all', async () => {
    const limit = createLimit(2);
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const task = (i: number) =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => gates.push(r));
        running--;
        return i;
      });
    const all = Promise.all([1, 2, 3, 4, 5].map(task));
    // Release the tasks one by one as they start: never more than two are waiting on a gate.
    for (let released = 0; released < 5; released++) {
      await expect.poll(() => gates.length).toBeGreaterThan(0);
      expect(gates.length).toBeLessThanOrEqual(2);
      gates.shift()!();
    }
    expect(await all).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = createLimit(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit(async () => 'next')).toBe('next');
  });
});

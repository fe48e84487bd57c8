import { describe, expect, it } from 'vitest';
import { labels } from '../../lib/render';
import { renderIndexHtml, type ListIndex } from '../../scripts/cli/list-index';

const index = (error: string, report: string): ListIndex => ({
  tool: { name: 'Consent Auditor', version: '0.1.0' },
  generatedAt: '2026-12-01T10:00:00.000Z',
  list: 'sites.txt',
  concurrency: 2,
  exitCode: 2,
  sites: [
    {
      line: 1,
      site: 'o2toit.com',
      url: 'https://www.o2toit.com/',
      exitCode: 1,
      policy: { id: 'o2toit.com', version: '2026-11-26', sha256: 'a'.repeat(64) },
      counts: { high: 6, medium: 3, low: 0, info: 5 },
      findings: 14,
      report: report,
    },
    { line: 2, site: 'evil.example', url: 'javascript:alert(1)', exitCode: 2, error },
  ],
});

describe('the list index page (scripts/cli/list-index.ts)', () => {
  it('shows each line with its counts, exit status and report link, in English and French', () => {
    const en = renderIndexHtml(index('x', '1-o2toit.com.json'), 'en');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<tr data-line="1" data-exit="1">');
    expect(en).toContain('<td data-severity="high">6</td>');
    expect(en).toContain('<td data-severity="info">5</td>');
    expect(en).toContain('<a href="1-o2toit.com.json">JSON</a>');
    expect(en).toContain('2 (failed)');
    const fr = renderIndexHtml(index('x', '1-o2toit.com.json'), 'fr');
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('2 (échec)');
    expect(fr).toContain(`<th>${labels('fr').severities.high}</th>`);
  });

  it('escapes what the site or the error wrote, links only http(s) URLs and relative report files', () => {
    const page = renderIndexHtml(index('<img src=x onerror=alert(1)>', '../../etc/passwd'), 'en');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('href="javascript:');
    expect(page).not.toContain('href="../../etc/passwd"');
  });
});

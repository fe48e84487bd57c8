import { describe, expect, it } from 'vitest';
import { parseArgs, type AuditOptions } from '../../scripts/cli/parse-args';

const ok = (argv: string[]): AuditOptions => {
  const result = parseArgs(argv);
  if (result.kind !== 'options') throw new Error(`expected options, got ${JSON.stringify(result)}`);
  return result.options;
};
const error = (argv: string[]): string => {
  const result = parseArgs(argv);
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  expect(result.message).not.toContain('\n'); // one-line reasons
  return result.message;
};

describe('parseArgs', () => {
  it('has the documented defaults', () => {
    expect(ok(['https://www.o2toit.com/'])).toEqual({
      url: 'https://www.o2toit.com/',
      scenarios: ['none', 'accept', 'reject'],
      pages: 0,
      waitMs: 3000,
      ignoreHttpsErrors: false,
      keepIdentifiers: false,
      browser: 'chromium',
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
    });
  });

  it('reads every option, as "--name value" or "--name=value"', () => {
    expect(
      ok([
        'https://www.o2toit.com/',
        '--scenario',
        'reject',
        '--out=reports/x.json',
        '--policy',
        'policies/o2toit.com.json',
        '--pages',
        '2',
        '--wait=500',
        '--reject-selector',
        '#refuse, .cmp [data-role="deny"]',
        '--host-rules',
        'MAP www.o2toit.com:443 127.0.0.1:8443, MAP * ~NOTFOUND',
        '--ignore-https-errors',
        '--keep-identifiers',
        '--chromium',
        '/opt/chromium/chrome',
        '--fail-on',
        'medium',
        '--locale',
        'de-DE',
        '--timezone=Europe/Berlin',
      ]),
    ).toEqual({
      url: 'https://www.o2toit.com/',
      scenarios: ['reject'],
      out: 'reports/x.json',
      policy: 'policies/o2toit.com.json',
      pages: 2,
      waitMs: 500,
      rejectSelector: '#refuse, .cmp [data-role="deny"]',
      hostRules: 'MAP www.o2toit.com:443 127.0.0.1:8443, MAP * ~NOTFOUND',
      ignoreHttpsErrors: true,
      keepIdentifiers: true,
      browser: 'chromium',
      chromium: '/opt/chromium/chrome',
      failOn: 'medium',
      locale: 'de-DE',
      timezone: 'Europe/Berlin',
    });
    expect(ok(['o2toit.com', '--browser', 'firefox', '--accept-selector', '#ok']).browser).toBe('firefox');
  });

  it('takes a bare host as https, and keeps http URLs', () => {
    expect(ok(['o2toit.com']).url).toBe('https://o2toit.com/');
    expect(ok(['http://localhost:8080/x?y=1']).url).toBe('http://localhost:8080/x?y=1');
  });

  it('refuses a visitor locale or time zone that is not one', () => {
    expect(error(['o2toit.com', '--locale', 'french'])).toMatch(/^--locale wants a language tag/);
    expect(error(['o2toit.com', '--timezone', 'Mars/Olympus'])).toMatch(/^--timezone wants an IANA time zone/);
    expect(ok(['o2toit.com', '--timezone', 'America/New_York']).timezone).toBe('America/New_York');
  });

  it('asks for help', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-h', 'https://x.test/'])).toEqual({ kind: 'help' });
  });

  it('rejects bad usage with a one-line reason', () => {
    expect(error([])).toMatch(/missing the URL/);
    expect(error(['a.test', 'b.test'])).toMatch(/one URL expected, got 2/);
    expect(error(['ftp://a.test/'])).toMatch(/http or https/);
    expect(error(['https://'])).toMatch(/not a URL/);
    expect(error(['a.test', '--bogus'])).toBe('unknown option --bogus (see --help)');
    expect(error(['a.test', '--scenario'])).toBe('--scenario needs a value');
    expect(error(['a.test', '--scenario', '--pages', '1'])).toBe('--scenario needs a value');
    expect(error(['a.test', '--scenario', 'maybe'])).toMatch(/--scenario must be all or one or more .*got "maybe"/);
    expect(error(['a.test', '--pages', '-1'])).toMatch(/--pages wants a whole number/);
    expect(error(['a.test', '--pages', '1.5'])).toMatch(/--pages wants a whole number/);
    expect(error(['a.test', '--pages', '51'])).toMatch(/from 0 to 50/);
    expect(error(['a.test', '--wait', 'soon'])).toMatch(/--wait wants a whole number/);
    expect(error(['a.test', '--browser', 'safari'])).toMatch(/--browser must be chromium or firefox/);
    expect(error(['a.test', '--fail-on', 'info'])).toMatch(/--fail-on must be high, medium or low/);
    expect(error(['a.test', '--pages', '1', '--pages', '2'])).toBe('--pages given twice');
    expect(error(['a.test', '--ignore-https-errors=yes'])).toBe('--ignore-https-errors takes no value');
    expect(error(['a.test', '--out', ''])).toBe('--out is empty');
  });

  it('rejects contradictory options', () => {
    expect(error(['a.test', '--browser', 'firefox', '--chromium', '/usr/bin/chromium'])).toMatch(
      /--chromium only applies/,
    );
    expect(error(['a.test', '--scenario', 'none', '--accept-selector', '#ok'])).toMatch(
      /no effect without the accept scenario/,
    );
    expect(error(['a.test', '--scenario', 'accept', '--reject-selector', '#no'])).toMatch(
      /no effect without the reject scenario/,
    );
    expect(error(['a.test', '--accept-selector', ' '])).toBe('--accept-selector is empty');
  });

  it('checks host rules before any browser starts', () => {
    expect(error(['a.test', '--host-rules', 'MAP www.a.test'])).toMatch(/^--host-rules: host rule "MAP www.a.test"/);
    expect(error(['a.test', '--host-rules', 'MAP a.test 127.0.0.1:99999'])).toMatch(/bad port/);
    expect(error(['a.test', '--host-rules', ' , '])).toBe('--host-rules is empty');
  });
});

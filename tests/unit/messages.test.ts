import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REQUEST_TYPES, createSend, isAnswer, isBackgroundRequest, parseRequest, senderRole } from '../../lib/messages';

const SELF = { id: 'auditor-id', origin: 'chrome-extension://auditor-id/' };

describe('the request type guard', () => {
  it('accepts exactly the listed request types', () => {
    for (const type of REQUEST_TYPES) expect(isBackgroundRequest({ type }), type).toBe(true);
    // Names an object has without owning them, near misses, and no type at all.
    for (const type of ['toString', '__proto__', 'constructor', 'Status', 'get-report ', '', undefined, 1, null])
      expect(isBackgroundRequest({ type }), String(type)).toBe(false);
    for (const message of [null, undefined, 'status', ['status'], 42]) expect(isBackgroundRequest(message)).toBe(false);
  });

  it('refuses every other string as a type', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !(REQUEST_TYPES as string[]).includes(s)),
        (type) => !isBackgroundRequest({ type }),
      ),
    );
  });

  it('lists each type once', () => {
    expect(new Set(REQUEST_TYPES).size).toBe(REQUEST_TYPES.length);
    expect(REQUEST_TYPES).toHaveLength(23);
  });
});

describe('parsing a request', () => {
  it('passes a well-formed request through unchanged', () => {
    const request = { type: 'consent-action', tabId: 3, action: 'reject', selectors: { reject: '#no' } };
    expect(parseRequest(request)).toEqual({ ok: true, request });
  });

  it.each([
    ['not an object', 'status', /not a request/],
    ['an unknown type', { type: 'drop-tables' }, /unknown request type "drop-tables"/],
    ['a tab id that is a string', { type: 'get-report', tabId: '3' }, /malformed get-report/],
    ['a negative tab id', { type: 'restart-audit', tabId: -1 }, /malformed restart-audit/],
    ['an action outside the protocol', { type: 'consent-action', tabId: 1, action: 'maybe' }, /malformed/],
    [
      'a selector that is not text',
      { type: 'consent-action', tabId: 1, action: 'accept', selectors: { accept: 1 } },
      /malformed/,
    ],
    ['a decision outside the protocol', { type: 'mark-consent', tabId: 1, decision: 'yes' }, /malformed/],
    ['page events that are not a list', { type: 'page-events', events: 'x' }, /malformed/],
    ['resource timings that are not a list', { type: 'resource-timings', entries: {} }, /malformed/],
    ['a consent report of no known kind', { type: 'consent-report', report: { kind: 'forged' } }, /malformed/],
    ['an import with no text', { type: 'import-policy' }, /malformed import-policy/],
    ['a knowledge import of another kind', { type: 'import-knowledge', kind: 'csv', text: '' }, /malformed/],
    [
      'a category outside the list',
      { type: 'import-knowledge', kind: 'filters', text: '', category: 'x' },
      /malformed/,
    ],
    ['a removal with no id', { type: 'remove-import', kind: 'policy' }, /malformed/],
    ['a cookie probe with no domain', { type: 'classify', cookie: { name: '_ga' } }, /malformed/],
  ])('refuses %s as a bad request', (_, message, why) => {
    const parsed = parseRequest(message);
    expect(parsed).toEqual({ ok: false, refusal: { code: 'bad-request', message: expect.stringMatching(why) } });
  });
});

describe('the sender role, decided once', () => {
  it('knows our own pages, with or without a tab', () => {
    expect(senderRole({ id: SELF.id, url: `${SELF.origin}popup.html` }, SELF)).toBe('extension-page');
    expect(senderRole({ id: SELF.id, url: `${SELF.origin}options.html`, tab: { id: 4 } }, SELF)).toBe('extension-page');
  });

  it('knows content scripts by their tab and web page', () => {
    const sender = { id: SELF.id, url: 'https://www.o2toit.com/', tab: { id: 4, url: 'https://www.o2toit.com/' } };
    expect(senderRole(sender, SELF)).toBe('content-script');
    expect(senderRole({ ...sender, url: 'about:blank', frameId: 3 }, SELF)).toBe('content-script');
  });

  it('gives no role to another extension, to a sender without a URL, or to a web page without a tab', () => {
    expect(senderRole({ id: 'other', url: 'chrome-extension://other/popup.html' }, SELF)).toBeUndefined();
    // Another extension's page under our id would still not have our origin.
    expect(senderRole({ id: SELF.id, url: 'chrome-extension://other/popup.html' }, SELF)).toBeUndefined();
    expect(senderRole({ id: SELF.id }, SELF)).toBeUndefined();
    expect(senderRole({ id: SELF.id, url: 'https://www.o2toit.com/' }, SELF)).toBeUndefined();
    expect(senderRole({ id: SELF.id, url: 'https://www.o2toit.com/', tab: { id: -1 } }, SELF)).toBeUndefined();
  });
});

describe('send()', () => {
  it('returns the answer the background gave', async () => {
    const seen: unknown[] = [];
    const send = createSend(async (message) => {
      seen.push(message);
      return { ok: true, value: { ready: true, version: '1', audits: [], policies: [] } };
    });
    const answer = await send({ type: 'status' });
    expect(seen).toEqual([{ type: 'status' }]);
    expect(answer.ok && answer.value.ready).toBe(true);
  });

  it('turns a transport error or a non-answer into a failed refusal, never a throw', async () => {
    const throwing = createSend(() => Promise.reject(new Error('Receiving end does not exist.')));
    expect(await throwing({ type: 'list-imports' })).toEqual({
      ok: false,
      refusal: { code: 'failed', message: 'the extension did not answer: Receiving end does not exist.' },
    });
    for (const reply of [undefined, null, [], { ok: true }, { ok: false, error: 'old shape' }]) {
      const send = createSend(async () => reply);
      expect(await send({ type: 'get-report', tabId: 1 })).toEqual({
        ok: false,
        refusal: { code: 'failed', message: 'the extension did not answer' },
      });
    }
  });

  it('recognises both answer shapes', () => {
    expect(isAnswer({ ok: true, value: null })).toBe(true);
    expect(isAnswer({ ok: false, refusal: { code: 'failed', message: 'x' } })).toBe(true);
    expect(isAnswer({ ok: false, refusal: {} })).toBe(false);
  });
});

/**
 * The request-body tokeniser (lib/collectors/request-body.ts): form fields, JSON string and number
 * values (nested, bounded), plain-text beacons, a huge body read only up to its cap, binary junk
 * skipped; and the request record keeps digests of a third party's body, nothing of the body.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestObservation } from '../../lib/collectors/normalize';
import { bodyDigests, bodyText, MAX_BODY_BYTES, type RawRequestBody } from '../../lib/collectors/request-body';
import { storageHashDigests } from '../../lib/collectors/storage-hashes';
import { hashDigests } from '../../lib/collectors/sync-digests';
import { identifierDigests, valueDigest } from '../../lib/identifiers';
import { withSharedIdentifiers } from '../../lib/report/shared-identifiers';
import type { Observation } from '../../lib/observations';
import { T0 } from './report-input';

const ID = 'u7f3a9c21d4e8b05';
const raw = (text: string | Uint8Array): RawRequestBody => ({
  raw: [{ bytes: (typeof text === 'string' ? new TextEncoder().encode(text) : text).buffer as ArrayBuffer }],
});
/** Where the body carried `value` raw, by its digest. */
const placesOf = (body: RawRequestBody, value = ID) =>
  bodyDigests(body)
    .filter((c) => c.digest === valueDigest(value))
    .map((c) => `${c.encoding} ${c.at}`);

describe('request body tokeniser', () => {
  it('reads parsed form fields and a url-encoded raw body', () => {
    expect(placesOf({ formData: { uid: [ID], lang: ['fr'] } })).toEqual(['raw body form uid']);
    expect(placesOf(raw(`v=1&lang=fr&cid=${encodeURIComponent(`x|${ID}`)}`))).toEqual(['raw body form cid']);
  });

  it('walks JSON string and integer values, nested, with their path', () => {
    const body = raw(JSON.stringify({ v: 2, user: { ids: ['short', ID] }, n: 123456789012 }));
    expect(placesOf(body)).toEqual(['raw body json user.ids[1]']);
    expect(placesOf(body, '123456789012')).toEqual(['raw body json n']);
    // A JSON key that is itself an identifier is not written as a place name.
    expect(placesOf(raw(JSON.stringify({ [ID]: { x: `id:${ID}` } })))).toEqual(['raw body json *.x']);
    // base64 text of the id inside JSON is decoded.
    const b64 = Buffer.from(ID).toString('base64');
    expect(placesOf(raw(JSON.stringify({ p: b64 })))).toEqual(['base64 body json p']);
  });

  it('stops walking JSON past its depth bound', () => {
    let deep: unknown = ID;
    for (let i = 0; i < 10; i++) deep = { a: deep };
    expect(placesOf(raw(JSON.stringify(deep)))).toEqual([]);
    let shallow: unknown = ID;
    for (let i = 0; i < 4; i++) shallow = { a: shallow };
    expect(placesOf(raw(JSON.stringify(shallow)))).toEqual(['raw body json a.a.a.a']);
  });

  it('searches a text/plain beacon word by word', () => {
    expect(placesOf(raw(`event=view; visitor=${ID} lang=fr`))).toEqual(['raw body text']);
  });

  it('reads a huge body only up to its cap: an id past it is never seen, one before it is', () => {
    const filler = 'a'.repeat(MAX_BODY_BYTES);
    expect(placesOf(raw(`{"pad":"${filler}","uid":"${ID}"}`))).toEqual([]);
    expect(placesOf(raw(`uid=${ID}&pad=${filler}`))).toEqual(['raw body form uid']);
    // Chunks count together.
    const chunks = { raw: [...raw(filler).raw!, ...raw(` ${ID}`).raw!] };
    expect(placesOf(chunks)).toEqual([]);
    expect(bodyText(chunks.raw)!.length).toBe(MAX_BODY_BYTES);
  });

  it('skips binary junk, file parts and malformed input', () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 131 + 7) % 256);
    expect(bodyText(raw(junk).raw)).toBeUndefined();
    expect(bodyDigests(raw(junk))).toEqual([]);
    // The id itself inside binary (a NUL before it) is not searched either.
    expect(placesOf(raw(new Uint8Array([0, ...new TextEncoder().encode(` ${ID}`)])))).toEqual([]);
    expect(bodyDigests({ raw: [{ file: '/tmp/upload.bin' }] })).toEqual([]);
    expect(bodyDigests({ raw: [{ bytes: 'not bytes' }], formData: { x: 'not a list' } } as RawRequestBody)).toEqual([]);
    expect(bodyDigests({ error: 'Unsupported' })).toEqual([]);
  });

  it('keeps short or word-like values out (`1`, `fr`, `true`)', () => {
    expect(bodyDigests({ formData: { consent: ['1'], lang: ['fr'], ok: ['true'] } })).toEqual([]);
    expect(bodyDigests(raw(JSON.stringify({ consent: 1, lang: 'fr', ok: true })))).toEqual([]);
  });

  it('is bounded per request, however many values the body has', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, `value-${i}-12345678`]));
    expect(bodyDigests(raw(JSON.stringify(many))).length).toBeLessThanOrEqual(48);
    expect(bodyDigests({ formData: Object.fromEntries(Object.entries(many).map(([k, v]) => [k, [v]])) }).length).toBe(
      48,
    );
  });
});

const base = { requestId: '9', method: 'POST', type: 'ping', tabId: 1, frameId: 0, timeStamp: T0 };

describe('request records', () => {
  it('keep digests of a third party’s body, never the body', () => {
    const o = requestObservation(
      { ...base, url: 'https://collect.ad.example/b', requestBody: raw(JSON.stringify({ uid: ID })) },
      'o2toit.com',
    );
    expect(o.carried).toEqual([{ digest: valueDigest(ID), encoding: 'raw', at: 'body json uid' }]);
    expect(JSON.stringify(o)).not.toContain(ID);
    expect(o).not.toHaveProperty('requestBody');
  });

  it('ignore a first party’s body', () => {
    const o = requestObservation(
      { ...base, url: 'https://api.o2toit.com/b', requestBody: { formData: { uid: [ID] } } },
      'o2toit.com',
    );
    expect(o.carried).toBeUndefined();
  });
});

describe('storage hash digests', () => {
  const sha256 = createHash('sha256').update(ID).digest('hex');
  it('are the value’s hashes when the value read back is the one the hook digested', () => {
    expect(storageHashDigests(ID, identifierDigests(ID))).toEqual({ hashDigests: hashDigests(ID) });
    expect(hashDigests(ID)).toContain(`sha256:${valueDigest(sha256)}`);
  });

  it('are nothing when the value changed in between, is too long, or was not an identifier', () => {
    expect(storageHashDigests('v-99999999-other', identifierDigests(ID))).toEqual({});
    expect(storageHashDigests(null, identifierDigests(ID))).toEqual({});
    expect(storageHashDigests(`${ID}${'x'.repeat(300)}`, identifierDigests(`${ID}${'x'.repeat(300)}`))).toEqual({});
    expect(storageHashDigests('fr', [])).toEqual({});
  });

  it('let a request carrying a stored id’s SHA-256 name the storage key', () => {
    const storage = {
      kind: 'storage',
      seq: 1,
      time: T0,
      tabId: 1,
      frameId: 0,
      url: 'https://www.o2toit.com/',
      topSite: 'o2toit.com',
      source: 'page-hook',
      area: 'localStorage',
      action: 'set',
      key: 'o2_vid',
      origin: 'https://www.o2toit.com',
      valueDigests: identifierDigests(ID),
      ...storageHashDigests(ID, identifierDigests(ID)),
    } as Observation;
    const request = {
      ...requestObservation({ ...base, method: 'GET', url: `https://m.ad.example/p?h=${sha256}` }, 'o2toit.com'),
      seq: 2,
    } as Observation;
    const [, shared] = withSharedIdentifiers([storage, request]);
    expect(shared!.kind === 'request' && shared!.sharedIdentifiers).toEqual([
      {
        kind: 'storage',
        name: 'o2_vid',
        domain: 'https://www.o2toit.com',
        seq: 1,
        encoding: 'raw',
        hash: 'sha256',
        at: 'query h',
      },
    ]);
  });
});

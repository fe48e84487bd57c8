/**
 * Cookie syncing is found by digests on both ends (lib/collectors/sync-digests.ts,
 * lib/report/shared-identifiers.ts): the hashes are the standard ones, base64 text is decoded, a
 * request carrying an identifier to another site gets `sharedIdentifiers`, and the report built
 * from it carries neither the value nor its base64 or hash, nor any digest.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cookieApiObservation, requestObservation } from '../../lib/collectors/normalize';
import { base64Text, carriedDigests, hashDigests } from '../../lib/collectors/sync-digests';
import { md5Hex, sha1Hex, sha256Hex } from '../../lib/hashes';
import { redactedMark, valueDigest } from '../../lib/identifiers';
import type { Observation } from '../../lib/observations';
import { buildReport } from '../../lib/report/build-report';
import { redactPart, withSharedIdentifiers } from '../../lib/report/shared-identifiers';
import { reportInput, T0 } from './report-input';

const ID = 'u7f3a9c21d4e8b05';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const hash = (name: string, s: string) => createHash(name).update(s, 'utf8').digest('hex');

describe('hashes', () => {
  it('agree with node:crypto on empty, ASCII, multi-byte and block-boundary inputs', () => {
    for (const s of ['', 'abc', ID, 'é€'.repeat(40), 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'y'.repeat(300)]) {
      expect(md5Hex(s)).toBe(hash('md5', s));
      expect(sha1Hex(s)).toBe(hash('sha1', s));
      expect(sha256Hex(s)).toBe(hash('sha256', s));
    }
  });
});

describe('carried digests', () => {
  it('finds a value raw, URL-encoded, in base64 (plain or URL-safe, inside JSON), in a path segment, and as a hash', () => {
    const raw = valueDigest(ID);
    const at = (url: string) => carriedDigests(url).filter((c) => c.digest === raw);
    expect(at(`https://t.example/p?uid=${ID}`)).toEqual([{ digest: raw, encoding: 'raw', at: 'query uid' }]);
    expect(at(`https://t.example/p?x=${encodeURIComponent(`a|${ID}`)}`)).toEqual([
      { digest: raw, encoding: 'raw', at: 'query x' },
    ]);
    expect(at(`https://t.example/p?p=${encodeURIComponent(b64(ID))}`)).toEqual([
      { digest: raw, encoding: 'base64', at: 'query p' },
    ]);
    // Base64 with no digit of its own, of a value that has some.
    const digitless = b64('o2s-7c41e9a05b3d2f68');
    expect(digitless).not.toMatch(/\d/);
    expect(carriedDigests(`https://t.example/p?p=${digitless}`)).toEqual([
      { digest: valueDigest('o2s-7c41e9a05b3d2f68'), encoding: 'base64', at: 'query p' },
    ]);
    const json = Buffer.from(JSON.stringify({ uid: ID, t: 1 })).toString('base64url');
    expect(at(`https://t.example/p#d=${json}`)).toEqual([{ digest: raw, encoding: 'base64', at: 'fragment d' }]);
    expect(at(`https://t.example/u/${ID}/p.gif`)).toEqual([{ digest: raw, encoding: 'raw', at: 'path 2' }]);
    // A hash is carried as its hex, compared in lower case with the cookie's hash digests.
    const carried = carriedDigests(`https://t.example/p?em=${hash('sha256', ID).toUpperCase()}`).map((c) => c.digest);
    expect(hashDigests(ID).filter((h) => carried.includes(h.slice(h.indexOf(':') + 1)))).toEqual([
      `sha256:${valueDigest(hash('sha256', ID))}`,
    ]);
  });

  it('ignores a bare Unix time near the request (a cache-buster), but not an older number', () => {
    const t = Date.parse('2026-03-10T09:00:00Z');
    expect(carriedDigests(`https://t.example/p?_=${t / 1000}&ms=${t + 5}`, t)).toEqual([]);
    expect(carriedDigests(`https://t.example/p?n=${t / 1000 - 86400 * 30}`, t)).toHaveLength(1);
  });

  it('ignores short or word-like values and binary base64', () => {
    expect(carriedDigests('https://t.example/a/b.js?lang=fr&choice=reject&ok=true')).toEqual([]);
    expect(base64Text(Buffer.from([0, 1, 2, 250, 251, 252, 9, 8, 7]).toString('base64'))).toBeUndefined();
    expect(base64Text(b64('hello-12345678'))).toBe('hello-12345678');
  });

  it('is computed for third-party requests only', () => {
    const raw = { requestId: '1', method: 'GET', type: 'image', tabId: 1, frameId: 0, timeStamp: T0 };
    expect(requestObservation({ ...raw, url: `https://px.ad.example/s?u=${ID}` }, 'o2toit.com').carried).toHaveLength(
      1,
    );
    expect(
      requestObservation({ ...raw, url: `https://api.o2toit.com/s?u=${ID}` }, 'o2toit.com').carried,
    ).toBeUndefined();
  });
});

describe('redactPart', () => {
  it('redacts the named query or fragment parameter or the path segment, nothing else', () => {
    const url = `https://t.example/u/${ID}/p.gif?a=1&p=${b64(ID)}#d=x`;
    expect(redactPart(url, 'query p')).not.toContain(b64(ID));
    expect(redactPart(url, 'query p')).toContain(`/u/${ID}/p.gif?a=1&p=[redacted:`);
    expect(redactPart(url, 'path 2')).toBe(url.replace(`/u/${ID}/`, `/u/${redactedMark(ID)}/`));
    expect(redactPart(url, 'fragment d')).toBe(url.replace('#d=x', `#d=${redactedMark('x')}`));
  });
});

function audit(): Observation[] {
  const cookie = cookieApiObservation(
    {
      removed: false,
      cause: 'explicit',
      cookie: {
        name: 'o2_uid',
        domain: '.o2toit.com',
        path: '/',
        hostOnly: false,
        session: false,
        expirationDate: T0 / 1000 + 86400 * 30,
        secure: true,
        httpOnly: false,
        value: ID,
      },
    },
    { time: T0, tabId: 1, topSite: 'o2toit.com' },
  )!;
  const raw = { requestId: '2', method: 'GET', type: 'image', tabId: 1, frameId: 0, timeStamp: T0 + 1000 };
  const requests = [
    `https://px.ad.example/sync.gif?p=${encodeURIComponent(b64(ID))}`,
    `https://match.ad2.example/m?em=${hash('sha1', ID)}`,
    `https://three.example/u/${ID}/p.gif`,
    'https://px.ad.example/other.gif?lang=fr&v=20260310',
  ].map((url, i) => ({ ...requestObservation({ ...raw, url, requestId: String(i + 2) }, 'o2toit.com'), seq: i + 2 }));
  return [{ ...cookie, seq: 1 }, ...requests] as Observation[];
}

describe('shared identifiers in the report', () => {
  it('names both ends on each request that carried the identifier to another site', () => {
    const shared = withSharedIdentifiers(audit()).map((o) => (o.kind === 'request' ? o.sharedIdentifiers : undefined));
    expect(shared).toEqual([
      undefined,
      [{ kind: 'cookie', name: 'o2_uid', domain: 'o2toit.com', seq: 1, encoding: 'base64', at: 'query p' }],
      [{ kind: 'cookie', name: 'o2_uid', domain: 'o2toit.com', seq: 1, encoding: 'raw', hash: 'sha1', at: 'query em' }],
      [{ kind: 'cookie', name: 'o2_uid', domain: 'o2toit.com', seq: 1, encoding: 'raw', at: 'path 2' }],
      undefined,
    ]);
  });

  it('finds the syncing, and keeps no value, base64, hash or digest of it anywhere in the report', () => {
    const report = buildReport(reportInput(audit()));
    const ids = report.findings.filter((f) => f.rule === 'identifier-shared-with-third-party').map((f) => f.id);
    expect(ids.sort()).toEqual(
      ['ad.example', 'ad2.example', 'three.example'].map(
        (s) => `identifier-shared-with-third-party:cookie:o2_uid@o2toit.com>${s}`,
      ),
    );
    const json = JSON.stringify(report);
    for (const leak of [ID, b64(ID), encodeURIComponent(b64(ID)), hash('sha1', ID), valueDigest(ID)])
      expect(json).not.toContain(leak);
    expect(json).not.toContain('"carried"');
    expect(json).not.toContain('"hashDigests"');
    // The control request is left as it was.
    expect(report.observations.requests.at(-1)!.url).toBe('https://px.ad.example/other.gif?lang=fr&v=20260310');
  });
});

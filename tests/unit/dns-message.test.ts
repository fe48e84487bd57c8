import { describe, expect, it } from 'vitest';
import { answerQuery, decodeMessage, encodeMessage, TYPE } from '../e2e/harness/dns-message';

/** The e2e tests' DNS-over-HTTPS resolver speaks RFC 1035 messages: its codec, checked byte by byte. */
describe('test DNS message codec', () => {
  // dig-style query for tk.o2toit.com A, id 0x1234, RD set (RFC 1035 §4.1 layout, written by hand).
  const query = Buffer.from(
    '1234 0100 0001 0000 0000 0000 02746b 066f32746f6974 03636f6d 00 0001 0001'.replace(/ /g, ''),
    'hex',
  );

  it('reads a query as written by a resolver', () => {
    expect(decodeMessage(query)).toEqual({
      id: 0x1234,
      flags: 0x0100,
      questions: [{ name: 'tk.o2toit.com', type: TYPE.A }],
      answers: [],
    });
    expect(encodeMessage(decodeMessage(query)).equals(query)).toBe(true);
  });

  it('answers a CNAME, then the A of its target, for an alias', () => {
    const answer = answerQuery(decodeMessage(query), new Map([['tk.o2toit.com', 'o2toit.eulerian.net']]));
    const bytes = encodeMessage(answer);
    // Header: same id, QR|RD|RA, NOERROR, 1 question, 2 answers.
    expect(bytes.subarray(0, 8).toString('hex')).toBe('1234818000010002');
    expect(decodeMessage(bytes).answers).toEqual([
      { name: 'tk.o2toit.com', type: TYPE.CNAME, ttl: 60, target: 'o2toit.eulerian.net' },
      { name: 'o2toit.eulerian.net', type: TYPE.A, ttl: 60, address: '127.0.0.1' },
    ]);
  });

  it('gives no data for AAAA but keeps the alias, and plain names only an A', () => {
    const aaaa = decodeMessage(Buffer.concat([query.subarray(0, -4), Buffer.from('001c0001', 'hex')]));
    expect(aaaa.questions[0]!.type).toBe(TYPE.AAAA);
    expect(answerQuery(aaaa, new Map([['tk.o2toit.com', 'x.eulerian.net']])).answers.map((a) => a.type)).toEqual([
      TYPE.CNAME,
    ]);
    expect(answerQuery(decodeMessage(query), new Map()).answers).toEqual([
      { name: 'tk.o2toit.com', type: TYPE.A, ttl: 60, address: '127.0.0.1' },
    ]);
  });

  it('follows compression pointers and refuses loops', () => {
    // Answer section name = pointer to offset 12 (the question's name).
    const rr = Buffer.from('c00c 0005 0001 0000003c 0002 c00c'.replace(/ /g, ''), 'hex');
    const msg = Buffer.concat([query.subarray(0, 6), Buffer.from('0001', 'hex'), query.subarray(8), rr]);
    expect(decodeMessage(msg).answers).toEqual([
      { name: 'tk.o2toit.com', type: TYPE.CNAME, ttl: 60, target: 'tk.o2toit.com' },
    ]);
    const loop = Buffer.concat([query.subarray(0, 12), Buffer.from('c00c00010001', 'hex')]);
    expect(() => decodeMessage(loop)).toThrow(/loop/);
  });
});

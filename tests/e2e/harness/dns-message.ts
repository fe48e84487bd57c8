/**
 * TEST-ONLY: a small DNS message codec (RFC 1035 §4) for the DNS-over-HTTPS server of the e2e tests
 * (doh-server.ts). Enough for one question and answers of type A, AAAA and CNAME; names are written
 * uncompressed, and read with compression pointers.
 */

export const TYPE = { A: 1, CNAME: 5, AAAA: 28, HTTPS: 65 } as const;
const CLASS_IN = 1;

export interface DnsQuestion {
  name: string; // lower case, no trailing dot
  type: number;
}

export type DnsAnswer =
  | { name: string; type: typeof TYPE.A; ttl: number; address: string }
  | { name: string; type: typeof TYPE.CNAME; ttl: number; target: string };

export interface DnsMessage {
  id: number;
  flags: number;
  questions: DnsQuestion[];
  answers: DnsAnswer[];
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts = labels.map((l) => {
    const b = Buffer.from(l, 'ascii');
    if (b.length > 63) throw new Error(`label too long: ${l}`);
    return Buffer.concat([Buffer.from([b.length]), b]);
  });
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** Reads a name at `offset`; returns it and the offset just after it (pointers followed, loops refused). */
function decodeName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let jumps = 0; ;) {
    if (pos >= buf.length) throw new Error('name runs past the message');
    const len = buf[pos]!;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (++jumps > 16) throw new Error('compression loop');
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!;
      continue;
    }
    labels.push(buf.subarray(pos + 1, pos + 1 + len).toString('ascii'));
    pos += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), next };
}

export function encodeMessage(m: DnsMessage): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(m.id, 0);
  header.writeUInt16BE(m.flags, 2);
  header.writeUInt16BE(m.questions.length, 4);
  header.writeUInt16BE(m.answers.length, 6);
  const questions = m.questions.map((q) => {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(q.type, 0);
    tail.writeUInt16BE(CLASS_IN, 2);
    return Buffer.concat([encodeName(q.name), tail]);
  });
  const answers = m.answers.map((a) => {
    const rdata = a.type === TYPE.A ? Buffer.from(a.address.split('.').map(Number)) : encodeName(a.target);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(a.type, 0);
    fixed.writeUInt16BE(CLASS_IN, 2);
    fixed.writeUInt32BE(a.ttl, 4);
    fixed.writeUInt16BE(rdata.length, 8);
    return Buffer.concat([encodeName(a.name), fixed, rdata]);
  });
  return Buffer.concat([header, ...questions, ...answers]);
}

/** Decodes header, questions and the A/CNAME answers (other answer types are skipped). */
export function decodeMessage(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw new Error('short DNS message');
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let pos = 12;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qd; i++) {
    const { name, next } = decodeName(buf, pos);
    questions.push({ name, type: buf.readUInt16BE(next) });
    pos = next + 4;
  }
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < an; i++) {
    const { name, next } = decodeName(buf, pos);
    const type = buf.readUInt16BE(next);
    const ttl = buf.readUInt32BE(next + 4);
    const len = buf.readUInt16BE(next + 8);
    const rdata = next + 10;
    if (type === TYPE.A) answers.push({ name, type, ttl, address: [...buf.subarray(rdata, rdata + 4)].join('.') });
    else if (type === TYPE.CNAME) answers.push({ name, type, ttl, target: decodeName(buf, rdata).name });
    pos = rdata + len;
  }
  return { id, flags, questions, answers };
}

/**
 * The answer to `query` from a table of aliases: every name is 127.0.0.1 (A), a name in `cnames` is
 * first a CNAME of its target (followed by the target's A). AAAA and other types get no data.
 */
export function answerQuery(query: DnsMessage, cnames: ReadonlyMap<string, string>, ttl = 60): DnsMessage {
  const q = query.questions[0];
  const answers: DnsAnswer[] = [];
  if (q) {
    let name = q.name;
    for (let hops = 0; cnames.has(name) && hops < 8; hops++) {
      const target = cnames.get(name)!;
      answers.push({ name, type: TYPE.CNAME, ttl, target });
      name = target;
    }
    if (q.type === TYPE.A) answers.push({ name, type: TYPE.A, ttl, address: '127.0.0.1' });
  }
  // QR, opcode 0, RD copied, RA, RCODE 0 (NOERROR).
  const flags = 0x8000 | (query.flags & 0x0100) | 0x0080;
  return { id: query.id, flags, questions: q ? [q] : [], answers };
}

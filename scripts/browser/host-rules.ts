/**
 * Chromium's `--host-resolver-rules` syntax, parsed and applied in Node, so Firefox (which has no such
 * flag) can honour the same rules through a local forward proxy. Semantics follow Chromium's
 * HostMappingRules: rules are comma-separated; `EXCLUDE pattern` wins over every MAP; otherwise the
 * first `MAP pattern replacement` that matches applies. A pattern with a port is matched against
 * `host:port`, one without against the host; `*` and `?` are wildcards. A replacement without a port
 * keeps the request's port; `~NOTFOUND` makes the host unresolvable.
 */

export type HostRule =
  | { kind: 'map'; pattern: string; target: { host: string; port?: number } | 'notfound' }
  | { kind: 'exclude'; pattern: string };

/** Where a connection to `host:port` goes: a (possibly rewritten) address, or nowhere. */
export type HostResolution = { host: string; port: number; mapped: boolean } | { notFound: true };

/** Parses `host[:port]` and `[v6]:port`; throws on a bad port. */
function parseHostPort(text: string): { host: string; port?: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const m = v6 ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  if (!m) throw new Error(`bad host "${text}"`);
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw new Error(`bad port in "${text}"`);
  return { host: m[1]!.toLowerCase(), ...(port !== undefined ? { port } : {}) };
}

/** Parses a rules string; throws `Error` naming the faulty rule. An empty string gives no rules. */
export function parseHostRules(text: string): HostRule[] {
  const rules: HostRule[] = [];
  for (const raw of text.split(',')) {
    const parts = raw.trim().split(/\s+/).filter(Boolean);
    if (!parts.length) continue;
    const verb = parts[0]!.toUpperCase();
    if (verb === 'EXCLUDE' && parts.length === 2) {
      rules.push({ kind: 'exclude', pattern: parts[1]!.toLowerCase() });
    } else if (verb === 'MAP' && parts.length === 3) {
      const replacement = parts[2]!;
      try {
        const target = replacement === '~NOTFOUND' ? 'notfound' : parseHostPort(replacement);
        rules.push({ kind: 'map', pattern: parts[1]!.toLowerCase(), target });
      } catch (error) {
        throw new Error(`host rule "${raw.trim()}": ${(error as Error).message}`);
      }
    } else {
      throw new Error(
        `host rule "${raw.trim()}": expected "MAP <pattern> <host[:port]|~NOTFOUND>" or "EXCLUDE <pattern>"`,
      );
    }
  }
  return rules;
}

/** Chromium's MatchPattern: `*` any run of characters, `?` one character, case-insensitive. */
function matches(pattern: string, subject: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(subject);
}

const subjectFor = (pattern: string, host: string, port: number): string =>
  pattern.includes(':') ? `${host}:${port}` : host;

/** Applies the rules to one connection, as Chromium's resolver would. */
export function resolveHost(rules: readonly HostRule[], host: string, port: number): HostResolution {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (rules.some((r) => r.kind === 'exclude' && matches(r.pattern, subjectFor(r.pattern, h, port)))) {
    return { host: h, port, mapped: false };
  }
  for (const rule of rules) {
    if (rule.kind !== 'map' || !matches(rule.pattern, subjectFor(rule.pattern, h, port))) continue;
    if (rule.target === 'notfound') return { notFound: true };
    return { host: rule.target.host, port: rule.target.port ?? port, mapped: true };
  }
  return { host: h, port, mapped: false };
}

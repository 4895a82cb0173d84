import { addressProblem } from './public-address.ts';

/**
 * A webhook URL: what stepshift refuses before it calls one, and how one is shown. A URL's query
 * string, fragment and user info often carry a token, so every text stepshift writes about a hook
 * (reasons, events, errors, logs) shows the URL through redactUrl.
 */

/**
 * Names that only a private resolver answers, or that no resolver answers publicly: localhost and
 * the special-use names of RFC 6761, .local (mDNS, RFC 6762), .home.arpa (RFC 8375), .internal
 * (reserved by ICANN for private use; EC2's own host names end in it), and .localdomain.
 */
const PRIVATE_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'home.arpa', 'test', 'invalid'];

/**
 * Why a webhook may not be called at this host, as words that follow its name, or undefined. `host`
 * is a WHATWG URL's hostname: IPv4 already in dotted decimal (the URL parser turns 2130706433 and
 * 0x7f.1 into 127.0.0.1), IPv6 in brackets. A name is judged by its spelling only; what it resolves
 * to is checked when it is called.
 */
function hostProblem(host: string): string | undefined {
  if (host.startsWith('[') && host.endsWith(']')) {
    const problem = addressProblem(host.slice(1, -1));
    return problem && `is ${problem}`;
  }
  if (/^[0-9]+(\.[0-9]+){3}$/.test(host)) {
    const problem = addressProblem(host);
    return problem && `is ${problem}`;
  }
  const name = host.toLowerCase().replace(/\.$/, '');
  const suffix = PRIVATE_SUFFIXES.find((s) => name === s || name.endsWith(`.${s}`));
  if (suffix) return `is a private name (.${suffix}) that no public resolver answers`;
  if (!name.includes('.')) return 'is a single-label name that only a private resolver answers';
  return undefined;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A URL the parser takes, or undefined. */
function parsed(text: string): URL | undefined {
  return URL.canParse(text) ? new URL(text) : undefined;
}

/**
 * Why stepshift will not call this webhook URL, as words that follow the URL, or undefined: it is
 * not a URL, not https, carries a user name or password, or names a host that is not public.
 */
export function webhookUrlProblem(text: string): string | undefined {
  const url = parsed(text);
  if (!url)
    return "is not a URL; write the receiver's https:// URL, such as https://hooks.example.com/releases";
  if (url.protocol !== 'https:') return 'is not an https:// URL; webhooks are called over HTTPS only';
  if (url.username || url.password) {
    return "carries a user name or password; keep credentials out of the URL: store them in a Secrets Manager secret and name it in the hook's secret (with a header)";
  }
  const problem = hostProblem(url.hostname);
  if (problem) return `names ${url.hostname}, which ${problem}; a webhook must be a public HTTPS endpoint`;
  return undefined;
}

/**
 * The URL as stepshift shows it: as written, with the query string as "?…" and the fragment as
 * "#…"; a URL with a user name or password loses them (and is shown as the parser reads it, since
 * the parser takes spellings a pattern would miss, such as "https:user:pass@host").
 */
export function redactUrl(text: string): string {
  const url = parsed(text);
  let shown = text;
  if (url && (url.username || url.password)) {
    url.username = '';
    url.password = '';
    shown = url.href;
  } else if (!url) {
    // Not a URL: anything up to the last "@" may be a user name and password.
    shown = text.replace(/:\/\/.*@/s, '://');
  }
  return shown.replace(/\?[^#]*/s, '?…').replace(/#.*/s, '#…');
}

/** Text with every URL in it redacted (an error message that quotes the URL it was about). */
export function redactUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
}

/**
 * The parts of a URL that may be secret: its query string and each value in it, its fragment, user
 * name and password. A receiver that echoes the request line ("Cannot POST /hook?token=...") would
 * otherwise put them in a reason; values shorter than four characters are too common to hide.
 */
export function urlSecrets(text: string): string[] {
  const url = parsed(text);
  if (!url) return [];
  const parts = [
    url.search.slice(1),
    url.hash.slice(1),
    url.username,
    url.password,
    decoded(url.username),
    decoded(url.password),
    ...url.searchParams.values(),
  ];
  return [...new Set(parts.filter((p) => p.length >= 4))];
}

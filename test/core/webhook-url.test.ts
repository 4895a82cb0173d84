import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrls, urlSecrets, webhookUrlProblem } from '#core/webhook-url.ts';

const PUBLIC_ONLY = 'a webhook must be a public HTTPS endpoint';

describe('webhook URLs stepshift refuses before calling them', () => {
  it.each<[string, string]>([
    // Seen accepted: the metadata service, the Lambda runtime API, IPv6 loopback, localhost.
    [
      'https://169.254.169.254/latest/meta-data/',
      `names 169.254.169.254, which is the EC2 instance metadata service (169.254.169.254); ${PUBLIC_ONLY}`,
    ],
    [
      'https://127.0.0.1:9001/2018-06-01/runtime/invocation/next',
      `names 127.0.0.1, which is a loopback address (127.0.0.0/8); ${PUBLIC_ONLY}`,
    ],
    ['https://[::1]/', `names [::1], which is the loopback address (::1); ${PUBLIC_ONLY}`],
    [
      'https://localhost',
      `names localhost, which is a private name (.localhost) that no public resolver answers; ${PUBLIC_ONLY}`,
    ],
    // Other spellings of the same addresses: the URL parser normalises them, and they are refused.
    ['https://2130706433/', `names 127.0.0.1, which is a loopback address (127.0.0.0/8); ${PUBLIC_ONLY}`],
    ['https://0x7f.1/', `names 127.0.0.1, which is a loopback address (127.0.0.0/8); ${PUBLIC_ONLY}`],
    ['https://0177.0.0.1/', `names 127.0.0.1, which is a loopback address (127.0.0.0/8); ${PUBLIC_ONLY}`],
    [
      'https://[::ffff:7f00:1]/',
      `names [::ffff:7f00:1], which is a loopback address (127.0.0.0/8), in its IPv4-mapped IPv6 form; ${PUBLIC_ONLY}`,
    ],
    [
      'https://[::ffff:a9fe:a9fe]/',
      `names [::ffff:a9fe:a9fe], which is the EC2 instance metadata service (169.254.169.254), in its IPv4-mapped IPv6 form; ${PUBLIC_ONLY}`,
    ],
    [
      'https://[::127.0.0.1]/',
      `names [::7f00:1], which is an IPv4-compatible address (::7f00:1), deprecated and never routed; ${PUBLIC_ONLY}`,
    ],
    [
      'https://[64:ff9b::a9fe:a9fe]/',
      `names [64:ff9b::a9fe:a9fe], which is the EC2 instance metadata service (169.254.169.254), in its NAT64 IPv6 form; ${PUBLIC_ONLY}`,
    ],
    [
      'https://[fd00:ec2::254]/',
      `names [fd00:ec2::254], which is the EC2 instance metadata service (fd00:ec2::254); ${PUBLIC_ONLY}`,
    ],
    ['https://[fe80::1]/', `names [fe80::1], which is a link-local address (fe80::/10); ${PUBLIC_ONLY}`],
    ['https://10.0.0.5/', `names 10.0.0.5, which is a private address (RFC 1918); ${PUBLIC_ONLY}`],
    [
      'https://100.64.1.1/',
      `names 100.64.1.1, which is a carrier-grade NAT address (100.64.0.0/10); ${PUBLIC_ONLY}`,
    ],
    ['https://0.0.0.0/', `names 0.0.0.0, which is the unspecified address (0.0.0.0/8); ${PUBLIC_ONLY}`],
    ['https://255.255.255.255/', `names 255.255.255.255, which is the broadcast address; ${PUBLIC_ONLY}`],
    // Names that only a private resolver answers.
    [
      'https://LOCALHOST./x',
      `names localhost., which is a private name (.localhost) that no public resolver answers; ${PUBLIC_ONLY}`,
    ],
    [
      'https://%6c%6fcalhost/',
      `names localhost, which is a private name (.localhost) that no public resolver answers; ${PUBLIC_ONLY}`,
    ],
    [
      'https://api.localhost/',
      `names api.localhost, which is a private name (.localhost) that no public resolver answers; ${PUBLIC_ONLY}`,
    ],
    [
      'https://ip-10-0-0-5.ec2.internal/',
      `names ip-10-0-0-5.ec2.internal, which is a private name (.internal) that no public resolver answers; ${PUBLIC_ONLY}`,
    ],
    [
      'https://metadata.google.internal/',
      `names metadata.google.internal, which is a private name (.internal) that no public resolver answers; ${PUBLIC_ONLY}`,
    ],
    [
      'https://printer.local/',
      `names printer.local, which is a private name (.local) that no public resolver answers; ${PUBLIC_ONLY}`,
    ],
    [
      'https://nas.home.arpa/',
      `names nas.home.arpa, which is a private name (.home.arpa) that no public resolver answers; ${PUBLIC_ONLY}`,
    ],
    [
      'https://instance-data/',
      `names instance-data, which is a single-label name that only a private resolver answers; ${PUBLIC_ONLY}`,
    ],
    // Not https, not a URL, credentials in the URL.
    ['http://checks.example.com/', 'is not an https:// URL; webhooks are called over HTTPS only'],
    ['file:///etc/passwd', 'is not an https:// URL; webhooks are called over HTTPS only'],
    [
      'https://',
      "is not a URL; write the receiver's https:// URL, such as https://hooks.example.com/releases",
    ],
    [
      'https://user:pass@checks.example.com/',
      "carries a user name or password; keep credentials out of the URL: store them in a Secrets Manager secret and name it in the hook's secret (with a header)",
    ],
  ])('refuses %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });

  it.each([
    'https://checks.example.com/orders/load',
    'https://hooks.example.com:8443/x?token=abc',
    'https://8.8.8.8/',
    'https://[2600:1f18::1]/hook',
    // Resolves to loopback on the internet; only the call-time check can see that.
    'https://127.0.0.1.nip.io/',
  ])('takes %s (its addresses are checked when it is called)', (url) => {
    expect(webhookUrlProblem(url)).toBeUndefined();
  });
});

describe('redactUrl', () => {
  it.each<[string, string]>([
    ['https://checks.example.com/orders/load', 'https://checks.example.com/orders/load'],
    ['https://a.example.com', 'https://a.example.com'],
    ['https://hooks.example.com/x?token=s3cr3t&b=1', 'https://hooks.example.com/x?…'],
    ['https://hooks.example.com/x#frag-secret', 'https://hooks.example.com/x#…'],
    ['https://hooks.example.com/x?token=s3cr3t#f', 'https://hooks.example.com/x?…#…'],
    ['https://user:pa55@hooks.example.com/x?token=s3cr3t', 'https://hooks.example.com/x?…'],
    ['https:user:pa55@hooks.example.com/x', 'https://hooks.example.com/x'],
    ['  https://user:pa55@hooks.example.com/', 'https://hooks.example.com/'],
    ['https://user:pa55@[not a url]/x?token=s3cr3t', 'https://[not a url]/x?…'],
    ['not a url?token=s3cr3t', 'not a url?…'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('redacts every URL in a text, such as an error that quotes one', () => {
    expect(
      redactUrls(
        'fetch to https://u:p4ss@h.example.com/a?k=s3cr3t failed; then https://h.example.com/b#t0k refused',
      ),
    ).toBe('fetch to https://h.example.com/a?… failed; then https://h.example.com/b#… refused');
  });
});

describe('urlSecrets', () => {
  it('lists what a receiver must not be quoted echoing: query, its values, fragment, user info', () => {
    expect(urlSecrets('https://us%65r:pa55word@hooks.example.com/x?token=s3cr3t&v=1#frag-t0k')).toEqual([
      'token=s3cr3t&v=1',
      'frag-t0k',
      'us%65r',
      'pa55word',
      'user',
      's3cr3t',
    ]);
    expect(urlSecrets('https://hooks.example.com/x')).toEqual([]);
  });
});

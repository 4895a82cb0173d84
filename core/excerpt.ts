/** How much of a text from outside (a hook's answer, a receiver's body) a reason may quote. */
const EXCERPT_CHARACTERS = 200;

/**
 * A short, printable excerpt of text stepshift did not write: control and format characters
 * (newlines, escape sequences, bidirectional overrides) become spaces, runs of space one, and past
 * `max` characters it is cut with "...". Each of `hidden` (a token, a secret's value) that the text
 * repeats becomes "…". What a receiver answers reaches a reason only through here.
 */
export function excerpt(text: string, max = EXCERPT_CHARACTERS, hidden: readonly string[] = []): string {
  // Longest first, so a value that contains another is hidden whole.
  const withheld = [...hidden]
    .filter((h) => h.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((t, h) => t.replaceAll(h, '…'), text);
  const clean = withheld
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const characters = Array.from(clean);
  return characters.length > max ? `${characters.slice(0, max).join('')}...` : clean;
}

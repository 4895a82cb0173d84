/** How much of a text from outside (a hook's answer, a receiver's body) a reason may quote. */
export const EXCERPT_CHARACTERS = 200;

/**
 * A short, printable excerpt of text stepshift did not write: control and format characters
 * (newlines, escape sequences, bidirectional overrides) become spaces, runs of space one, and past
 * `max` characters it is cut with "...". What a receiver answers reaches a reason only through here.
 */
export function excerpt(text: string, max = EXCERPT_CHARACTERS): string {
  const clean = text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const characters = Array.from(clean);
  return characters.length > max ? `${characters.slice(0, max).join('')}...` : clean;
}

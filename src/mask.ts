/**
 * Masking of evidence excerpts. Every excerpt that leaves a collector goes through one of these, so no
 * renderer can leak a secret or a person's data (DESIGN.md: card numbers keep first 6 / last 4 at most).
 */

/** A payment account / card number: first 6 and last 4 digits kept, separators kept, the rest `*`. */
export function maskPan(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 12) return maskMiddle(value);
  let seen = 0;
  return value.replace(/\d/g, (d) => {
    seen += 1;
    return seen <= 6 || seen > digits.length - 4 ? d : '*';
  });
}

/** Every card-like digit run in a free text (12+ digits, spaces or dashes between), masked as maskPan does. */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d[\d -]{10,}\d/g, (m) => maskPan(m));
}

/** A secret (password, App_Secret, key, token): nothing of the value, only its length class. */
export function maskSecret(value: string): string {
  if (value.length === 0) return '';
  return `****(${value.length} chars)`;
}

/** A personal value (name, ID number, mobile): first and last quarter kept at most, at least half hidden. */
export function maskMiddle(value: string): string {
  const chars = [...value];
  if (chars.length <= 2) return '*'.repeat(chars.length);
  const keep = Math.max(1, Math.floor(chars.length / 4));
  return chars.map((c, i) => (i < keep || i >= chars.length - keep ? c : '*')).join('');
}

/** Mainland mobile 13812345678 → 138****5678. */
export function maskMobile(value: string): string {
  return value.replace(/(\d{3})\d{4}(\d{4})/, '$1****$2');
}

/** Resident ID 110105199001011234 → 110105********1234 (region kept, birth date hidden). */
export function maskIdCard(value: string): string {
  return value.length === 18 ? `${value.slice(0, 6)}********${value.slice(14)}` : maskMiddle(value);
}

/** A PEM private key: the header line only. */
export function maskPrivateKey(pem: string): string {
  const m = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----/.exec(pem);
  return m ? `-----BEGIN ${m[1]}----- ****` : maskSecret(pem);
}

/** Truncates an excerpt to a readable length, on a character boundary. */
export function clip(text: string, max = 160): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Validators behind the detectors: they decide whether a digit string is really a card number or a
 * resident ID number, so that order numbers, timestamps and phone numbers are not reported (precision
 * first: a finding an assessor has to dismiss by hand costs more trust than a miss).
 */

/**
 * Luhn (ISO/IEC 7812-1 Annex B) check over a digit-only string, or over `digits[start, end)` (the log
 * prefilter validates digit runs in place, without cutting a string for each).
 */
export function luhnValid(digits: string, start = 0, end = digits.length): boolean {
  let sum = 0;
  let double = false;
  for (let i = end - 1; i >= start; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether a digit-only string of 13–19 digits starts with a prefix some card scheme issues from, in a
 * length that scheme uses. Chinese domestic debit cards from before UnionPay (ICBC 9558, ABC 95599)
 * are accepted as well; other 9x prefixes are not, because they collide with order numbers.
 */
export function issuerPlausible(digits: string, start = 0, end = digits.length): boolean {
  const n = end - start;
  if (n < 13 || n > 19) return false;
  const d0 = digits.charCodeAt(start) - 48;
  const d1 = digits.charCodeAt(start + 1) - 48;
  const d2 = digits.charCodeAt(start + 2) - 48;
  const d3 = digits.charCodeAt(start + 3) - 48;
  const p2 = d0 * 10 + d1;
  const p3 = p2 * 10 + d2;
  const p4 = p3 * 10 + d3;
  switch (d0) {
    case 4: // Visa
      return n === 13 || n === 16 || n === 19;
    case 5:
      if (p2 >= 51 && p2 <= 55) return n === 16; // Mastercard
      return p2 === 50 || (p2 >= 56 && p2 <= 58) ? n >= 13 : false; // Maestro 50, 56–58
    case 2:
      return p4 >= 2221 && p4 <= 2720 && n === 16; // Mastercard 2-series
    case 3:
      if (p2 === 34 || p2 === 37) return n === 15; // Amex
      if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14; // Diners
      if (p4 >= 3528 && p4 <= 3589) return n >= 16; // JCB
      return false;
    case 6:
      // UnionPay 62, Discover 6011/644–649/65, Maestro's issued 6x ranges (6304, 6759, 6761–6763). The rest of
      // Maestro's nominal 56–69 is left out: random ids there (ad cache-busters, order numbers) pass Luhn one time in ten.
      if (p2 === 62 || p2 === 65 || p4 === 6011 || (p3 >= 644 && p3 <= 649)) return n >= 16;
      return (p4 === 6304 || p4 === 6759 || (p4 >= 6761 && p4 <= 6763)) && n >= 13;
    case 8:
      return p2 === 81 && n >= 16; // UnionPay 81 range
    case 9:
      return (p4 === 9558 || (p4 === 9559 && digits.charCodeAt(start + 4) === 57)) && n >= 16;
    default:
      return false;
  }
}

/** A 13-digit millisecond timestamp of the years 2017–2033 (1[5-9]…), a frequent false card. */
export function looksLikeMillisTimestamp(digits: string): boolean {
  return digits.length === 13 && /^1[5-9]/.test(digits);
}

/** Mainland mobile number, optionally with the +86 / 0086 country code. */
export function looksLikeMobile(digits: string): boolean {
  return /^(?:0086|86)?1[3-9]\d{9}$/.test(digits);
}

/** GB/T 2260 province-level codes (first two digits of a resident ID number). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
]);

export function provinceCodeValid(twoDigits: string): boolean {
  return PROVINCES.has(Number(twoDigits));
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 citizen identity number: region, birth date (1900–today), ISO 7064 MOD 11-2 check character. */
export function idCardValid(id: string, today: Date = new Date()): boolean {
  return id.length === 18 && idCardValidAt(id, 0, today);
}

/** idCardValid over the 18 characters of `text` from `start`. */
export function idCardValidAt(text: string, start: number, today: Date = new Date()): boolean {
  if (start + 18 > text.length) return false;
  const p0 = text.charCodeAt(start) - 48;
  const p1 = text.charCodeAt(start + 1) - 48;
  if (!PROVINCES.has(p0 * 10 + p1)) return false;
  // The check character first: it is arithmetic only and rejects ten in eleven random numbers.
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const d = text.charCodeAt(start + i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * ID_WEIGHTS[i]!;
  }
  const check = text.charCodeAt(start + 17);
  if (ID_CHECK.charCodeAt(sum % 11) !== (check === 120 ? 88 : check)) return false;
  const year = Number(text.slice(start + 6, start + 10));
  const month = Number(text.slice(start + 10, start + 12));
  const day = Number(text.slice(start + 12, start + 14));
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) return false;
  return birth.getTime() <= today.getTime();
}

/**
 * GB 11643-1989 first-generation (15-digit) citizen identity number: region code (province checked), birth
 * date yyMMdd of the 1900s, three-digit sequence; it has no check character, so the date carries the proof.
 */
export function idCard15Valid(id: string): boolean {
  if (id.length !== 15 || !/^\d{15}$/.test(id) || !PROVINCES.has(Number(id.slice(0, 2)))) return false;
  const year = 1900 + Number(id.slice(6, 8));
  const month = Number(id.slice(8, 10));
  const day = Number(id.slice(10, 12));
  if (month < 1 || month > 12 || day < 1) return false;
  const birth = new Date(Date.UTC(year, month - 1, day));
  return birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
}

/** Card expiry values: a month, a year, MM/YY, MM/YYYY, MMYY, YYYY-MM. */
export function expiryValueValid(value: string, part?: 'month' | 'year'): boolean {
  const v = value.trim();
  if (part === 'month') return /^(?:0?[1-9]|1[0-2])$/.test(v);
  if (part === 'year') return /^(?:\d{2}|20\d{2})$/.test(v);
  return (
    /^(?:0[1-9]|1[0-2])\s*[/-]\s*(?:\d{2}|20\d{2})$/.test(v) ||
    /^(?:0[1-9]|1[0-2])\d{2}$/.test(v) ||
    /^20\d{2}-(?:0[1-9]|1[0-2])$/.test(v)
  );
}

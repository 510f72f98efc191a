// Formatting and parsing of sizes and addresses, shared by the page's modules.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Returns bytes in binary units with up to three significant digits, e.g. "1.34 GiB". */
export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(n)) {
    return '–';
  }
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return (n < 0 ? '-' : '') + v.toFixed(digits) + ' ' + UNITS[u];
}

/** Returns an exact short size when the value is a round binary size ("4 GiB"), else bytes(). */
export function roundSize(n) {
  let u = 0;
  let v = n;
  while (u < UNITS.length - 1 && v !== 0 && v % 1024 === 0) {
    v /= 1024;
    u++;
  }
  return u > 0 ? v + ' ' + UNITS[u] : bytes(n);
}

/** Returns an address in hex, e.g. "0x100000000". */
export function hex(n) {
  return '0x' + Math.round(n).toString(16);
}

/** Returns an integer with thin-space thousands separators. */
export function int(n) {
  return Math.round(n).toLocaleString('en-US');
}

/** Returns a count in at most four characters: 812, 4.1k, 70k, 1.2M. */
export function compact(n) {
  if (n < 1000) return String(n);
  const [d, u] = n < 1e6 ? [1e3, 'k'] : n < 1e9 ? [1e6, 'M'] : [1e9, 'G'];
  const v = n / d;
  return (v < 10 ? v.toFixed(1) : Math.round(v)) + u;
}

/** Returns a share as a percentage with one decimal. */
export function percent(part, whole) {
  if (!whole) {
    return '0%';
  }
  const p = (100 * part) / whole;
  return (p > 0 && p < 0.1 ? '<0.1' : p.toFixed(1)) + '%';
}

/** Returns simulated nanoseconds in a readable unit. */
export function nanos(ns) {
  if (ns >= 1e9) return (ns / 1e9).toFixed(2) + ' s';
  if (ns >= 1e6) return (ns / 1e6).toFixed(1) + ' ms';
  if (ns >= 1e3) return (ns / 1e3).toFixed(0) + ' µs';
  return ns + ' ns';
}

const SHIFTS = { '': 0, b: 0, k: 10, kb: 10, kib: 10, m: 20, mb: 20, mib: 20, g: 30, gb: 30,
  gib: 30, t: 40, tb: 40, tib: 40, p: 50, pb: 50, pib: 50 };

/**
 * Reads an address or size typed by a person: decimal, 0x hex, or a number with a binary suffix
 * ("4GiB"). Returns a Number, or null if the text is none of these (the API then names the fault).
 */
export function parseAmount(text) {
  const s = String(text).trim().replace(/_/g, '');
  if (/^0x[0-9a-f]+$/i.test(s)) {
    return parseInt(s.slice(2), 16);
  }
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s);
  if (!m || !(m[2].toLowerCase() in SHIFTS)) {
    return null;
  }
  const v = Number(m[1]) * 2 ** SHIFTS[m[2].toLowerCase()];
  return Number.isSafeInteger(v) ? v : null;
}

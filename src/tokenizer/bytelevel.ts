// GPT-2's byte <-> unicode table, used by every byte-level BPE (GPT-2, Llama 3, Qwen2).
//
// BPE vocabularies are stored as strings, but the symbols are bytes. To keep tokens printable
// (and to avoid whitespace/control characters inside vocab entries) each byte is given a visible
// character: printable Latin-1 bytes map to themselves, the other 68 (controls, space, 0x7f-0xa0,
// 0xad) map to U+0100.. in byte order. So the space byte becomes 'Ġ' (U+0120) and '\n' 'Ċ'.

/** BYTE_TO_CHAR[b] is the character standing for byte b. */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const keep = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(keep(b) ? b : 256 + n++);
  return out;
})();

/** Char code -> byte, or -1 for characters outside the table. Indexed up to U+0143. */
const CHAR_TO_BYTE: Int16Array = (() => {
  const t = new Int16Array(0x144).fill(-1);
  BYTE_TO_CHAR.forEach((c, b) => (t[c.charCodeAt(0)] = b));
  return t;
})();

/** The byte a character stands for, or -1. */
export function charToByte(code: number): number {
  return code < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[code]! : -1;
}

/** Bytes -> their byte-level string (the form vocab entries use). */
export function bytesToSymbols(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_CHAR[bytes[i]!];
  return s;
}

/**
 * A byte-level string -> its bytes, or undefined when some character is not in the table
 * (added tokens such as "<|im_start|>" are plain text, not byte-level strings; callers fall back
 * to their UTF-8 bytes, as Hugging Face's ByteLevel decoder does).
 */
export function symbolsToBytes(s: string): Uint8Array | undefined {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const b = charToByte(s.charCodeAt(i));
    if (b < 0) return undefined;
    out[i] = b;
  }
  return out;
}

/** UTF-8 encode a string into `out` starting at 0; returns the byte count. Lone surrogates become U+FFFD like TextEncoder. `out` needs 3 * s.length bytes. */
export function utf8Encode(s: string, out: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 63);
        out[n++] = 0x80 | ((c >> 6) & 63);
        out[n++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd;
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 63);
    out[n++] = 0x80 | (c & 63);
  }
  return n;
}

// Pre-tokenization: the regex split that cuts text into pieces before BPE runs on each piece.
//
// Hugging Face `tokenizers` compiles these patterns with Oniguruma; we run them with JS RegExp
// (u flag) after rewriting the few constructs whose meaning differs:
//   - `\s` / `\S`: Oniguruma's Unicode \s is the White_Space property; JS's \s also matches
//     U+FEFF and misses U+0085 (NEL). We use \p{White_Space} / \P{White_Space}.
//   - `\d` / `\D`: Oniguruma's Unicode \d is \p{Nd} (JS's is ASCII only).
//   - `(?i:...)`: scoped case-insensitivity is not in Node 20's RegExp. Letters inside become
//     classes of their case variants, using Unicode simple case folding the way Oniguruma does:
//     's' also matches U+017F (LATIN SMALL LETTER LONG S) and 'k' U+212A (KELVIN SIGN).
//     (tokenizers.js folds ASCII only, so "'ſ" splits differently there; see the tests.)
// Lookahead `(?!\S)` and the leftmost-first alternation order behave the same in both engines.

/** Qwen2 / Qwen2.5 pre-tokenizer pattern, exactly as in their tokenizer.json. */
export const QWEN2_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** GPT-2's pattern (what ByteLevel with use_regex: true applies). */
export const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

const FOLD_EXTRA: Record<string, string> = { s: '\u017f', k: '\u212a' };

/** Rewrite an Oniguruma pattern (as found in tokenizer.json) into JS RegExp source for the u flag. */
export function onigToJs(pattern: string): string {
  let out = '';
  let inClass = 0;
  const foldStack: boolean[] = [];
  let fold = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw new Error(`pre-tokenizer regex ends with a backslash: ${pattern}`);
      i++;
      if (n === 's') out += '\\p{White_Space}';
      else if (n === 'S') out += '\\P{White_Space}';
      else if (n === 'd') out += '\\p{Nd}';
      else if (n === 'D') out += '\\P{Nd}';
      else if ((n === 'p' || n === 'P') && pattern[i + 1] === '{') {
        const end = pattern.indexOf('}', i);
        out += pattern.slice(i - 1, end + 1);
        i = end;
      } else if (n === 'h' || n === 'A' || n === 'z' || n === 'Z' || n === 'G') {
        throw new Error(`pre-tokenizer regex: \\${n} is not supported: ${pattern}`);
      } else out += '\\' + n;
      continue;
    }
    if (inClass) {
      if (c === '[') throw new Error(`pre-tokenizer regex: nested character classes are not supported: ${pattern}`);
      if (c === ']') inClass = 0;
      out += fold && /[A-Za-z]/.test(c) ? foldLetter(c, true) : c;
      continue;
    }
    if (c === '[') {
      inClass = 1;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += '\\' + pattern[++i]; // a literal ']' first in a class
      continue;
    }
    if (c === '(') {
      foldStack.push(fold);
      if (pattern.startsWith('(?i:', i)) {
        fold = true;
        out += '(?:';
        i += 3;
        continue;
      }
      if (pattern.startsWith('(?>', i)) throw new Error(`pre-tokenizer regex: atomic groups are not supported: ${pattern}`);
      out += c;
      continue;
    }
    if (c === ')') {
      fold = foldStack.pop() ?? false;
      out += c;
      continue;
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      throw new Error(`pre-tokenizer regex: possessive quantifiers are not supported: ${pattern}`);
    }
    out += fold && /[A-Za-z]/.test(c) ? foldLetter(c, false) : c;
  }
  return out;
}

function foldLetter(c: string, inClass: boolean): string {
  const lo = c.toLowerCase();
  const variants = lo + lo.toUpperCase() + (FOLD_EXTRA[lo] ?? '');
  return inClass ? variants : `[${variants}]`;
}

/** Compile a tokenizer.json regex; errors name the pattern. */
export function compilePattern(pattern: string): RegExp {
  const src = onigToJs(pattern);
  try {
    return new RegExp(src, 'gu');
  } catch (e) {
    throw new Error(`pre-tokenizer regex ${JSON.stringify(pattern)} does not compile as JS (${(e as Error).message})`);
  }
}

/** Escape a literal string for use inside a RegExp (Split with a String pattern). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Split `text` like HF's Split pre-tokenizer with behavior "Isolated": every match is a piece and
 * so is every stretch of text between matches. Empty matches are skipped.
 */
export function splitIsolated(re: RegExp, text: string, out: string[]): void {
  re.lastIndex = 0;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const s = m.index;
    const e = s + m[0].length;
    if (e === s) {
      re.lastIndex++;
      continue;
    }
    if (s > last) out.push(text.slice(last, s));
    out.push(m[0]);
    last = e;
  }
  if (last < text.length) out.push(text.slice(last));
}

/** Split with behavior "Removed": matches are dropped, the text between them kept. */
export function splitRemoved(re: RegExp, text: string, out: string[]): void {
  re.lastIndex = 0;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (m.index > last) out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
}

/**
 * A string matching a JSON Schema `pattern`, or `undefined` when the pattern uses features this
 * small sampler does not handle (backreferences, lookarounds that bite). Supports literals,
 * escapes (`\d \w \s` and escaped punctuation), classes with ranges and negation, `.`, groups,
 * alternation (first branch) and the quantifiers `? * + {n} {n,} {n,m}` (minimum, at least one).
 *
 * @example
 * patternString('^[A-Z]{3}-\\d{2}$'); // 'AAA-00'
 */
export function patternString(pattern: string): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  // Lookaheads may demand a digit or a capital the first choice lacks: try other class preferences.
  for (const preferred of [undefined, 0x30, 0x41, 0x61]) {
    try {
      const sample = new PatternSampler(pattern, preferred).alternation();
      if (regex.test(sample)) return sample;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

class PatternSampler {
  private position = 0;
  private readonly pattern: string;
  private readonly preferred: number | undefined;

  constructor(pattern: string, preferred: number | undefined) {
    this.pattern = pattern;
    this.preferred = preferred;
  }

  alternation(): string {
    const first = this.sequence();
    while (this.peek() === '|') {
      this.position++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (this.position < this.pattern.length) {
      const char = this.peek();
      if (char === '|' || char === ')') break;
      const atom = this.atom();
      out += this.quantify(atom);
    }
    return out;
  }

  private atom(): () => string {
    const char = this.pattern[this.position++] as string;
    if (char === '^' || char === '$') return () => '';
    if (char === '.') return () => 'a';
    if (char === '(') {
      let lookaround = false;
      if (this.peek() === '?') {
        const next = this.pattern[this.position + 1];
        if (next === ':') this.position += 2;
        else if (next === '=' || next === '!') {
          lookaround = true;
          this.position += 2;
        } else if (next === '<') {
          const after = this.pattern[this.position + 2];
          if (after === '=' || after === '!') {
            lookaround = true;
            this.position += 3;
          } else this.position = this.pattern.indexOf('>', this.position) + 1;
        }
      }
      const inner = this.alternation();
      if (this.pattern[this.position++] !== ')') throw new Error('unbalanced group');
      return () => (lookaround ? '' : inner);
    }
    if (char === '[') return this.characterClass();
    if (char === '\\') return this.escape();
    return () => char;
  }

  private escape(): () => string {
    const char = this.pattern[this.position++] as string;
    switch (char) {
      case 'd':
        return () => '0';
      case 'w':
        return () => (this.preferred === undefined ? 'a' : String.fromCodePoint(this.preferred));
      case 's':
        return () => ' ';
      case 'D':
      case 'W':
      case 'S':
        return () => (char === 'D' ? 'a' : char === 'W' ? '-' : 'a');
      case 'b':
      case 'B':
        return () => '';
      case 'n':
        return () => '\n';
      case 't':
        return () => '\t';
      case 'u': {
        const hex = this.pattern.slice(this.position, this.position + 4);
        this.position += 4;
        return () => String.fromCharCode(Number.parseInt(hex, 16));
      }
      default:
        if (/[1-9]/.test(char)) throw new Error('backreference');
        return () => char;
    }
  }

  private characterClass(): () => string {
    const negated = this.peek() === '^';
    if (negated) this.position++;
    const members: Array<[number, number]> = [];
    let first = true;
    while (this.position < this.pattern.length && (this.peek() !== ']' || first)) {
      first = false;
      const low = this.classMember();
      if (this.peek() === '-' && this.pattern[this.position + 1] !== ']') {
        this.position++;
        const high = this.classMember();
        members.push([low[0], high[1]]);
        continue;
      }
      members.push(low);
    }
    this.position++;
    if (!negated) {
      const preferred = this.preferred;
      if (preferred !== undefined && members.some(([low, high]) => preferred >= low && preferred <= high)) {
        return () => String.fromCodePoint(preferred);
      }
      const chosen = members.find(([low]) => low >= 0x30) ?? members[0];
      if (!chosen) throw new Error('empty class');
      return () => String.fromCodePoint(chosen[0]);
    }
    const candidates = 'aA0_-. xyz';
    for (const candidate of candidates) {
      const code = candidate.codePointAt(0) as number;
      if (!members.some(([low, high]) => code >= low && code <= high)) return () => candidate;
    }
    throw new Error('no character outside negated class');
  }

  private classMember(): [number, number] {
    const char = this.pattern[this.position++] as string;
    if (char !== '\\') {
      const code = char.codePointAt(0) as number;
      return [code, code];
    }
    const escaped = this.pattern[this.position++] as string;
    if (escaped === 'd') return [0x30, 0x39];
    if (escaped === 'w') return [0x61, 0x7a];
    if (escaped === 's') return [0x20, 0x20];
    const code = escaped.codePointAt(0) as number;
    return [code, code];
  }

  private quantify(atom: () => string): string {
    const char = this.peek();
    let minimum = 1;
    if (char === '?' || char === '*') {
      this.position++;
      minimum = char === '?' ? 0 : 1;
    } else if (char === '+') {
      this.position++;
    } else if (char === '{') {
      const close = this.pattern.indexOf('}', this.position);
      const body = this.pattern.slice(this.position + 1, close);
      if (/^\d+(,\d*)?$/.test(body)) {
        this.position = close + 1;
        minimum = Number.parseInt(body, 10);
      }
    }
    if (this.peek() === '?' || this.peek() === '+') this.position++;
    let out = '';
    for (let index = 0; index < minimum; index++) out += atom();
    return out;
  }

  private peek(): string | undefined {
    return this.pattern[this.position];
  }
}

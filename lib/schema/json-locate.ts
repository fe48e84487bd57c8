/**
 * Finds where a JSON Pointer points in the source text, so an import error can say "line 42"
 * as well as `/categories/2/category`. People fix files in an editor, by line.
 *
 * The text must be valid JSON (it is only called after JSON.parse succeeded). The scanner walks
 * it once, without building values, and stops at the target.
 */

/** 1-based line and column of the value (or, for a missing property, of its parent object). */
export interface TextPosition {
  line: number;
  column: number;
}

/** Position of the value at `pointer` (`''` or `/` is the root); undefined if the pointer is not in the text. */
export function locatePointer(text: string, pointer: string): TextPosition | undefined {
  const target = pointer === '/' || pointer === '' ? [] : pointer.slice(1).split('/').map(unescape);
  const scanner = new Scanner(text);
  const offset = scanner.find(target);
  return offset === undefined ? undefined : positionOf(text, offset);
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

class Scanner {
  private i = 0;
  constructor(private readonly text: string) {}

  /** Offset of the value at `path`, descending only into the containers on the way. */
  find(path: string[]): number | undefined {
    this.space();
    for (const key of path) {
      const c = this.text[this.i];
      if (c === '{' ? !this.enterProperty(key) : c === '[' ? !this.enterIndex(key) : true) return undefined;
      this.space();
    }
    return this.i;
  }

  private enterProperty(key: string): boolean {
    this.i++; // {
    for (;;) {
      this.space();
      if (this.text[this.i] === '}') return false;
      const name = JSON.parse(this.text.slice(this.i, this.stringEnd())) as string;
      this.i = this.stringEnd();
      this.space();
      this.i++; // :
      this.space();
      if (name === key) return true;
      this.skipValue();
      this.space();
      if (this.text[this.i] === ',') this.i++;
    }
  }

  private enterIndex(key: string): boolean {
    const wanted = Number(key);
    if (!Number.isInteger(wanted) || wanted < 0) return false;
    this.i++; // [
    for (let index = 0; ; index++) {
      this.space();
      if (this.text[this.i] === ']') return false;
      if (index === wanted) return true;
      this.skipValue();
      this.space();
      if (this.text[this.i] === ',') this.i++;
    }
  }

  private skipValue(): void {
    const c = this.text[this.i];
    if (c === '"') {
      this.i = this.stringEnd();
      return;
    }
    if (c === '{' || c === '[') {
      let depth = 0;
      do {
        const d = this.text[this.i];
        if (d === '"') {
          this.i = this.stringEnd();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        if (d === '}' || d === ']') depth--;
        this.i++;
      } while (depth > 0 && this.i < this.text.length);
      return;
    }
    while (this.i < this.text.length && !/[,\]}\s]/.test(this.text[this.i]!)) this.i++;
  }

  /** Offset just after the string that starts at `this.i`. */
  private stringEnd(): number {
    let j = this.i + 1;
    while (j < this.text.length && this.text[j] !== '"') j += this.text[j] === '\\' ? 2 : 1;
    return j + 1;
  }

  private space(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }
}

/**
 * Splits the REPL's stdout into response documents. Lean pretty-prints each response over several
 * lines and ends it with one empty line; JSON strings never contain a raw line break, so an empty
 * (or whitespace-only) line always ends a document. Bytes are decoded as UTF-8 across chunk
 * boundaries (multi-byte characters such as `⊢` may be split between chunks).
 */
import { StringDecoder } from 'node:string_decoder';

export class ResponseFramer {
  private readonly decoder = new StringDecoder('utf8');
  private buf = '';
  /** Index in `buf` where the current (unfinished) document starts. */
  private frameStart = 0;
  /** Index in `buf` from which no newline has been seen yet. */
  private scanFrom = 0;
  /** Bytes received since the last complete document: the size of the document being read. */
  private pending = 0;

  /** Feeds a chunk; returns the complete documents it finished (texts without the blank line). */
  push(chunk: Buffer): string[] {
    this.pending += chunk.length;
    this.buf += this.decoder.write(chunk);
    const frames: string[] = [];
    let lineStart = this.scanFrom;
    // Lines before scanFrom were already looked at; resume at the start of the unfinished line.
    for (;;) {
      const nl = this.buf.indexOf('\n', this.scanFrom);
      if (nl < 0) break;
      if (isBlank(this.buf, lineStart, nl)) {
        if (!isBlank(this.buf, this.frameStart, lineStart)) frames.push(this.buf.slice(this.frameStart, lineStart));
        this.frameStart = nl + 1;
      }
      lineStart = nl + 1;
      this.scanFrom = nl + 1;
    }
    if (this.frameStart > 0) {
      this.buf = this.buf.slice(this.frameStart);
      this.scanFrom -= this.frameStart;
      this.frameStart = 0;
      this.pending = frames.length > 0 ? Buffer.byteLength(this.buf) : this.pending;
    }
    return frames;
  }

  /** Bytes of the document being read (not yet ended by a blank line). */
  get pendingBytes(): number {
    return this.pending;
  }

  /** Text received after the last complete document (for error messages). */
  get remainder(): string {
    return this.buf;
  }
}

function isBlank(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    // space, tab, CR, LF, FF, VT
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 12 && c !== 11) return false;
  }
  return true;
}

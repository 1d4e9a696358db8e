/**
 * A Writable that records writes and the frames they carry (split on `~~~` lines, like
 * ink-testing-library's `frames`); `breakPipe()` makes the next write fail with EPIPE.
 */
import { Writable } from 'node:stream';
import { splitFrames } from '../../src/reconciler/parse.js';

/** A recording stdout. */
export class FakeStdout extends Writable {
  readonly writes: string[] = [];
  private broken = false;

  /** Every complete frame written so far (trailing-separator mode). */
  get frames(): string[] {
    return splitFrames(this.writes.join(''));
  }

  /** Everything written, concatenated. */
  get output(): string {
    return this.writes.join('');
  }

  /** The next write fails as a closed pipe does. */
  breakPipe(): void {
    this.broken = true;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.broken) {
      const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      callback(error);
      return;
    }
    this.writes.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    callback();
  }
}

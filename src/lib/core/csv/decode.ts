/**
 * Byte-level handling before CSV parsing: byte-order mark, refusing binary
 * files, and decoding UTF-8 strictly so a Latin-1 / Windows-1252 file can be
 * detected and read again with the right encoding.
 */
import { ImportError } from '../common';

/** How many leading bytes the binary check looks at. */
export const SNIFF_BYTES = 64 * 1024;

/** The encodings an import can end up with. */
export type TextEncodingName = 'utf-8' | 'windows-1252';

/** True when the bytes start with the UTF-8 byte-order mark EF BB BF. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** A few well-known binary signatures, so the message can name what the file probably is. */
function describeBinary(b: Uint8Array): string {
  const at = (i: number) => b[i] ?? -1;
  if (at(0) === 0x50 && at(1) === 0x4b && at(2) === 0x03 && at(3) === 0x04) return 'a ZIP archive, such as an .xlsx workbook';
  if (at(0) === 0xd0 && at(1) === 0xcf && at(2) === 0x11 && at(3) === 0xe0) return 'an old .xls workbook';
  if (at(0) === 0x25 && at(1) === 0x50 && at(2) === 0x44 && at(3) === 0x46) return 'a PDF document';
  if (at(0) === 0x1f && at(1) === 0x8b) return 'a gzip archive';
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'a PNG image';
  if (at(0) === 0x50 && at(1) === 0x41 && at(2) === 0x52 && at(3) === 0x31) return 'a Parquet file';
  return '';
}

/**
 * Refuses input that is not text. Looks at the first 64 KiB (after any BOM):
 * a NUL byte, or more than 10% control characters other than tab, CR, LF
 * and form feed, means binary.
 * @throws ImportError('binary')
 */
export function assertText(head: Uint8Array): void {
  // UTF-16 text is full of NULs; say what it is rather than calling it binary.
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new ImportError(
      'binary',
      'This file is UTF-16 text, which Labbook cannot read. Save it as "CSV UTF-8" (or plain UTF-8 text) and try again.',
    );
  }
  const n = Math.min(head.length, SNIFF_BYTES);
  let control = 0;
  let nul = false;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b < 0x20) {
      if (b === 0) {
        nul = true;
        break;
      }
      if (b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
    }
  }
  if (nul || (n > 0 && control / n > 0.1)) {
    const what = describeBinary(head);
    const why = what ? `it starts like ${what}` : nul ? 'it contains NUL bytes' : 'it is full of control characters';
    throw new ImportError(
      'binary',
      `This file is not text: it looks like a binary file (${why}). Export it as CSV and try again.`,
    );
  }
}

/** Thrown by `StreamDecoder` when bytes are not valid UTF-8; the caller re-reads as Windows-1252. */
export class InvalidUtf8Error extends Error {
  constructor() {
    super('The bytes are not valid UTF-8');
    this.name = 'InvalidUtf8Error';
  }
}

/**
 * Decodes a byte stream chunk by chunk. UTF-8 decoding is fatal, so the first
 * invalid sequence surfaces as `InvalidUtf8Error` instead of silently turning
 * into U+FFFD; Windows-1252 (a superset of Latin-1 that TextDecoder maps every
 * byte of) never fails. Multi-byte characters split across chunks are handled
 * by the decoder's streaming mode. The BOM is left to the caller (`ignoreBOM`),
 * which strips it and records that it was there.
 */
export class StreamDecoder {
  private readonly decoder: TextDecoder;

  constructor(readonly encoding: TextEncodingName) {
    this.decoder =
      encoding === 'utf-8'
        ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
        : new TextDecoder('windows-1252');
  }

  /** Decodes the next chunk. @throws InvalidUtf8Error */
  push(bytes: Uint8Array): string {
    try {
      return this.decoder.decode(bytes, { stream: true });
    } catch (err) {
      if (err instanceof TypeError) throw new InvalidUtf8Error();
      throw err;
    }
  }

  /** Flushes the decoder; a truncated UTF-8 sequence at the very end also counts as invalid. */
  end(): string {
    try {
      return this.decoder.decode();
    } catch (err) {
      if (err instanceof TypeError) throw new InvalidUtf8Error();
      throw err;
    }
  }
}

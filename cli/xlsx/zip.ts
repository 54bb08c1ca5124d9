/**
 * The .xlsx package as zip entries, kept as their compressed bytes: an entry Budgetline does not
 * change is written back byte for byte (its deflated data, CRC and sizes copied, never re-compressed);
 * only the parts it changes are deflated anew. yauzl reads the central directory; fflate's Zip
 * writes the container (a custom ZipInputFile carries the already-compressed data).
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { Zip, type ZipInputFile } from 'fflate';
import yauzl from 'yauzl';

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly crc: number;
  /** Uncompressed size. */
  readonly size: number;
  /** The entry's data as stored in the file (compressed when method is 8). */
  readonly raw: Uint8Array;
  readonly mtime: Date;
}

const LOCAL_HEADER = 0x04034b50;

/** The entries of a zip file, in the order of its central directory. */
export function readZip(bytes: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err) return reject(err);
      const out: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (e: yauzl.Entry) => {
        try {
          const at = e.relativeOffsetOfLocalHeader;
          if (bytes.readUInt32LE(at) !== LOCAL_HEADER) throw new Error(`bad local header for ${e.fileName}`);
          const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
          const raw = bytes.subarray(start, start + e.compressedSize);
          if (raw.length !== e.compressedSize) throw new Error(`${e.fileName} is cut short`);
          if (e.compressionMethod !== 0 && e.compressionMethod !== 8)
            throw new Error(`${e.fileName} uses zip compression method ${e.compressionMethod}`);
          if ((e.generalPurposeBitFlag & 1) !== 0) throw new Error(`${e.fileName} is encrypted`);
          out.push({
            name: e.fileName,
            method: e.compressionMethod,
            crc: e.crc32,
            size: e.uncompressedSize,
            raw,
            mtime: e.getLastModDate(),
          });
          zip.readEntry();
        } catch (x) {
          reject(x as Error);
        }
      });
      zip.readEntry();
    });
  });
}

/** The uncompressed bytes of an entry. */
export function inflate(entry: ZipEntry): Buffer {
  const data = entry.method === 8 ? inflateRawSync(entry.raw) : Buffer.from(entry.raw);
  if (data.length !== entry.size) throw new Error(`${entry.name}: wrong size after decompression`);
  return data;
}

/** A new entry from its content, deflated. */
export function makeEntry(
  name: string,
  content: string | Uint8Array,
  mtime = new Date(1980, 0, 1),
): ZipEntry {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return {
    name,
    method: 8,
    crc: crc32(data),
    size: data.length,
    raw: deflateRawSync(data, { level: 6 }),
    mtime,
  };
}

/** The zip file holding `entries` in order; each entry's stored bytes are copied as they are. */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else chunks.push(data);
  });
  for (const e of entries) {
    const file: ZipInputFile = {
      filename: e.name,
      size: e.size,
      crc: e.crc,
      compression: e.method,
      mtime: e.mtime,
    };
    zip.add(file);
    file.ondata?.(null, e.raw as Uint8Array<ArrayBuffer>, true);
  }
  zip.end();
  if (failure) throw failure;
  return Buffer.concat(chunks);
}

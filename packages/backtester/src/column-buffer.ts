/**
 * Typed arrays carved one after another from a single `ArrayBuffer`: the columns of a chunk of trades or refusals.
 * Why one buffer: creating an `ArrayBuffer` costs microseconds (and fresh pages on first touch), and a chunk has up to
 * eight columns. Each column starts at a multiple of its element size.
 */
export class ColumnBuffer {
  /** Padding a buffer needs beyond its columns' bytes, at most 7 per column. */
  static readonly SLACK = 64;
  readonly #buffer: ArrayBuffer;
  #offset = 0;

  /** @param bytes - the sum of the columns' byte lengths, plus {@link ColumnBuffer.SLACK}. */
  constructor(bytes: number) {
    this.#buffer = new ArrayBuffer(bytes);
  }

  /** The next `length` doubles. */
  f64(length: number): Float64Array {
    return this.#take(new Float64Array(this.#buffer, this.#align(8), length));
  }

  /** The next `length` unsigned 64-bit integers. */
  u64(length: number): BigUint64Array {
    return this.#take(new BigUint64Array(this.#buffer, this.#align(8), length));
  }

  /** The next `length` signed 64-bit integers. */
  i64(length: number): BigInt64Array {
    return this.#take(new BigInt64Array(this.#buffer, this.#align(8), length));
  }

  /** The next `length` unsigned 32-bit integers. */
  u32(length: number): Uint32Array {
    return this.#take(new Uint32Array(this.#buffer, this.#align(4), length));
  }

  /** The next `length` bytes. */
  u8(length: number): Uint8Array {
    return this.#take(new Uint8Array(this.#buffer, this.#offset, length));
  }

  #align(size: number): number {
    return (this.#offset = Math.ceil(this.#offset / size) * size);
  }

  #take<T extends ArrayBufferView>(column: T): T {
    this.#offset += column.byteLength;
    return column;
  }
}

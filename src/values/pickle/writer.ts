/**
 * The byte sink of the pickler with protocol 4 framing as CPython's `_pickle.c` does it: opcodes go into
 * frames of about 64 KiB, each prefixed by `FRAME <u64 length>`; a frame of fewer than 4 bytes gets no header;
 * a str/bytes payload of 64 KiB or more is written outside any frame.
 */
export const FRAME_SIZE_TARGET = 64 * 1024;
const FRAME_SIZE_MIN = 4;
const FRAME_HEADER_SIZE = 9;
const FRAME = 0x95;

export class PickleWriter {
  private buf = new Uint8Array(4096);
  private len = 0;
  private frameStart = -1;
  framing = false;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private openFrameIfNeeded(): void {
    if (this.framing && this.frameStart === -1) {
      this.ensure(FRAME_HEADER_SIZE);
      this.frameStart = this.len;
      this.len += FRAME_HEADER_SIZE;
    }
  }

  byte(b: number): void {
    this.openFrameIfNeeded();
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(data: Uint8Array): void {
    this.openFrameIfNeeded();
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  /** Opcode + argument header, then a payload that bypasses framing when it is large (`_Pickler_write_bytes`). */
  headerAndPayload(header: Uint8Array, payload: Uint8Array): void {
    const bypass = payload.length >= FRAME_SIZE_TARGET;
    const framing = this.framing;
    if (bypass) {
      this.commitFrame();
      this.framing = false;
    }
    this.bytes(header);
    this.bytes(payload);
    this.framing = framing;
  }

  /** Called between opcodes: closes the current frame once it has reached the target size. */
  boundary(): void {
    if (!this.framing || this.frameStart === -1) return;
    const frameLen = this.len - this.frameStart - FRAME_HEADER_SIZE;
    if (frameLen >= FRAME_SIZE_TARGET) this.commitFrame();
  }

  commitFrame(): void {
    if (!this.framing || this.frameStart === -1) return;
    const frameLen = this.len - this.frameStart - FRAME_HEADER_SIZE;
    if (frameLen >= FRAME_SIZE_MIN) {
      this.buf[this.frameStart] = FRAME;
      new DataView(this.buf.buffer, this.buf.byteOffset).setBigUint64(this.frameStart + 1, BigInt(frameLen), true);
    } else {
      this.buf.copyWithin(this.frameStart, this.frameStart + FRAME_HEADER_SIZE, this.len);
      this.len -= FRAME_HEADER_SIZE;
    }
    this.frameStart = -1;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

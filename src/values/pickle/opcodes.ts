/** Pickle opcodes (protocol <= 4) and the small encoders shared by the pickler. */

export const OP = {
  MARK: 0x28, STOP: 0x2e, POP: 0x30, POP_MARK: 0x31, BININT: 0x4a, BININT1: 0x4b, BININT2: 0x4d, NONE: 0x4e,
  REDUCE: 0x52, BINUNICODE: 0x58, APPEND: 0x61, BUILD: 0x62, EMPTY_DICT: 0x7d, APPENDS: 0x65, BINGET: 0x68,
  LONG_BINGET: 0x6a, EMPTY_LIST: 0x5d, SETITEM: 0x73, TUPLE: 0x74, EMPTY_TUPLE: 0x29, SETITEMS: 0x75,
  BINFLOAT: 0x47, PROTO: 0x80, NEWOBJ: 0x81, TUPLE1: 0x85, TUPLE2: 0x86, TUPLE3: 0x87, NEWTRUE: 0x88, NEWFALSE: 0x89, LONG1: 0x8a,
  LONG4: 0x8b, BINBYTES: 0x42, SHORT_BINBYTES: 0x43, SHORT_BINUNICODE: 0x8c, BINUNICODE8: 0x8d, BINBYTES8: 0x8e,
  EMPTY_SET: 0x8f, ADDITEMS: 0x90, FROZENSET: 0x91, STACK_GLOBAL: 0x93, MEMOIZE: 0x94,
} as const;

export const BATCHSIZE = 1000;
export const utf8 = new TextEncoder();

export function isSingletonStr(s: string): boolean {
  return s.length === 0 || (s.length === 1 && s.charCodeAt(0) < 256);
}

/** `b''` and the 256 one-byte bytes objects are singletons in CPython: equal ones are one object. */
export function bytesIdentity(data: Uint8Array): object | string {
  return data.length <= 1 ? `b:${data.length === 0 ? '' : data[0]}` : {};
}

/** Little-endian two's complement in the fewest bytes that keep the sign (`encode_long`). */
export function encodeLong(n: bigint): Uint8Array {
  if (n === 0n) return new Uint8Array(0);
  const out: number[] = [];
  let v = n;
  for (;;) {
    out.push(Number(v & 0xffn));
    v >>= 8n; // arithmetic shift on bigint
    const last = out[out.length - 1]!;
    if ((v === 0n && (last & 0x80) === 0) || (v === -1n && (last & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}

export function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

export function u64le(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}


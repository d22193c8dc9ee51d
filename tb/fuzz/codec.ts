// JSON for fuzz cases: vectors hold typed arrays (operands, layers) and bigints (wide words), which
// JSON.stringify drops or refuses, so they are tagged on the way out and rebuilt on the way in. A
// shrunk case is written this way and replayed from the file (`scripts/fuzz.ts --replay`).

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function typedArrayName(value: unknown): TypedArrayName | undefined {
  for (const name of Object.keys(TYPED_ARRAYS) as TypedArrayName[]) if (value instanceof TYPED_ARRAYS[name]) return name;
  return undefined;
}

/** A JSON-safe copy: typed arrays as `{ $typed, data }` (floats by bit pattern), bigints as `{ $bigint }`. */
export function encodeJson(value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  const typed = typedArrayName(value);
  if (typed !== undefined) {
    const array = value as ArrayLike<number>;
    // Float arrays go by bit pattern: NaN payloads, -0 and infinities survive the round trip.
    if (typed === 'Float32Array') return { $typed: typed, bits: Array.from(new Uint32Array((value as Float32Array).slice().buffer)) };
    if (typed === 'Float64Array') return { $typed: typed, values: Array.from(array, (x) => (Object.is(x, -0) ? '-0' : Number.isFinite(x) ? x : String(x))) };
    return { $typed: typed, data: Array.from(array) };
  }
  if (Array.isArray(value)) return value.map(encodeJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encodeJson(v)]));
  }
  return value;
}

export function decodeJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeJson);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record['$bigint'] === 'string') return BigInt(record['$bigint']);
  const typed = record['$typed'];
  if (typeof typed === 'string' && typed in TYPED_ARRAYS) {
    if (typed === 'Float32Array') return new Float32Array(Uint32Array.from(record['bits'] as number[]).buffer);
    if (typed === 'Float64Array') return Float64Array.from(record['values'] as (number | string)[], (x) => (x === '-0' ? -0 : Number(x)));
    return TYPED_ARRAYS[typed as TypedArrayName].from(record['data'] as number[]);
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeJson(v)]));
}

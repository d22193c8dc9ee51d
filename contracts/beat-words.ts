// Assembling wide beat leaves on the host: fields are ORed into 32-bit little-endian words and the
// words turned into one bigint with a single hex parse, which stays cheap for the hundreds of
// thousands of wide beats a large layer streams (a bigint shift per field does not).

/** ORs `value` (below 2^width, width <= 32) into the little-endian words at bit `pos`. */
export function placeBits(words: Uint32Array, pos: number, value: number, width: number): void {
  const word = pos >>> 5;
  const offset = pos & 31;
  words[word]! |= value << offset;
  if (offset + width > 32) words[word + 1]! |= value >>> (32 - offset);
}

/** The words as one non-negative bigint. */
export function wordsToBigInt(words: Uint32Array): bigint {
  let hex = '0x';
  for (let i = words.length - 1; i >= 0; i--) hex += words[i]!.toString(16).padStart(8, '0');
  return BigInt(hex);
}

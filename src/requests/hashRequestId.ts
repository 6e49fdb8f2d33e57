/** 32-bit FNV-1a of a request id's UTF-16 code units: small enough to keep one per row in a typed array. */
export function hashRequestId(requestId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < requestId.length; index++) {
    hash ^= requestId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

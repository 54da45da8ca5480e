/** New revision ids: 12 lowercase hex characters from a cryptographic source, like Alembic's uuid4().hex[-12:]. */

/** A fresh random revision id, e.g. "1975ea83b712". */
export function newRevisionId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

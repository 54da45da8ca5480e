/**
 * alembic.ini's `sqlalchemy.url` as a retort URL: SQLAlchemy's
 * `postgresql+driver://` spelled `postgresql://`, and any password taken out
 * (it belongs in DATABASE_URL, not in a file under version control). Pure.
 */

/** The URL retort.toml gets (null when there is none to give), and whether a password was removed. */
export interface TranslatedUrl {
  readonly url: string | null;
  readonly passwordRemoved: boolean;
  /** why the URL was not carried over, when it was not */
  readonly skipped?: string;
}

const POSTGRES_SCHEME = /^postgres(?:ql)?(?:\+[a-z0-9_]+)?:\/\//i;

/** Translate a SQLAlchemy URL for retort.toml. */
export function translateAlembicUrl(url: string | null): TranslatedUrl {
  if (url === null || url.trim() === "") return { url: null, passwordRemoved: false, skipped: "alembic.ini has no sqlalchemy.url" };
  const scheme = POSTGRES_SCHEME.exec(url);
  if (!scheme) {
    const name = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? "unknown";
    return { url: null, passwordRemoved: false, skipped: `sqlalchemy.url is not a PostgreSQL URL (scheme '${name}')` };
  }
  let rest = url.slice(scheme[0].length);
  let passwordRemoved = false;
  const at = rest.lastIndexOf("@");
  const colon = rest.indexOf(":");
  if (at >= 0 && colon >= 0 && colon < at) {
    rest = rest.slice(0, colon) + rest.slice(at);
    passwordRemoved = true;
  }
  const withoutParam = rest.replace(/([?&])password=[^&#]*(&?)/i, (_whole, sep: string, next: string) => (next ? sep : ""));
  if (withoutParam !== rest) passwordRemoved = true;
  return { url: `postgresql://${withoutParam}`, passwordRemoved };
}

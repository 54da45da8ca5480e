/**
 * retort's programmatic API: the same commands the CLI runs, returning
 * results instead of printing. Revision authors import the `Op` type from here.
 */
export type { Op } from "./ops/op.ts";
export type * from "./ops/operations.ts";
export * from "./errors.ts";
export type { RevisionMeta, PlannedStep, VersionChange } from "./core/types.ts";
export type { LoadedRevision, MigrationScript } from "./revisions/types.ts";
export { RevisionGraph } from "./core/graph.ts";
export { planUpgrade, planDowngrade, planStamp } from "./core/plan.ts";
export { resolveRevisions } from "./core/resolve.ts";
export { loadRevisionsFromDir, loadRevisionsFromEntries } from "./revisions/source.ts";
export { openEngine } from "./drivers/open.ts";
export type { Engine } from "./drivers/engine.ts";
export { upgrade } from "./commands/upgrade.ts";
export { downgrade } from "./commands/downgrade.ts";
export { stamp } from "./commands/stamp.ts";
export { current } from "./commands/current.ts";
export { history } from "./commands/history.ts";
export { heads, branches } from "./commands/heads.ts";
export { show } from "./commands/show.ts";
export { validate } from "./commands/validate.ts";
export type { ValidateOptions, ValidateResult } from "./commands/validate.ts";
export { log } from "./commands/log.ts";
export type { LogOptions, LogResult } from "./commands/log.ts";
export { dumpSchema } from "./commands/dump.ts";
export { resolveDatabaseUrl, redactUrl } from "./config/url.ts";
export { importAlembic } from "./commands/import-alembic.ts";
export type { ImportAlembicOptions, ImportAlembicResult } from "./commands/import-alembic.ts";
export { lint, lintTargets } from "./commands/lint.ts";
export type { LintReport, StatementReport } from "./lint/run.ts";
export type { Finding } from "./lint/policy.ts";
export { verifyRevisions } from "./commands/verify.ts";
export type { VerifyOptions, VerifyResult, RevisionVerdict } from "./commands/verify.ts";
export { listCache, clearCache } from "./commands/cache.ts";
export { openCacheStore } from "./cache/location.ts";

/**
 * `retort/testing`: databases at any revision for users' test suites
 * (README "Testing with databaseAt").
 */
export { databaseAt, type DatabaseAtOptions, type TestDatabase } from "./database-at.ts";

/**
 * The revisions behind the Alembic goldens: the project's own chain, a
 * labelled branch merged back, a second base (label "tenant") that depends on
 * the chain, and a third base ("lookup") that only a dependency reaches, so it
 * is an effective head. The Alembic project used the same ids, down
 * revisions, labels, dependencies and docstrings, one file per revision in
 * the file order below (01_ffa7.py ... 10_8192.py).
 */
import type { RevisionMeta } from "../../src/core/types.ts";

const rows: [file: string, id: string, down: string[], labels: string[], deps: string[], message: string][] = [
  ["01_ffa7", "ffa7dce781be", [], [], [], "create sample_table"],
  ["02_dadf", "dadf308f3867", ["ffa7dce781be"], [], [], "create base platform tables"],
  ["03_0ee6", "0ee619f3516b", ["dadf308f3867"], [], [], "seed initial focus groups/dimensions/weights data"],
  ["04_1a2b", "1a2b3c4d5e6f", ["0ee619f3516b"], ["reports"], [], "add reports"],
  ["05_2b3c", "2b3c4d5e6f70", ["1a2b3c4d5e6f"], [], [], "add report schedules"],
  ["06_3c4d", "3c4d5e6f7081", ["0ee619f3516b"], [], [], "add audit log"],
  ["07_4d5e", "4d5e6f708192", ["3c4d5e6f7081", "2b3c4d5e6f70"], [], [], "merge reports and audit"],
  ["08_5e6f", "5e6f708192a3", [], ["tenant"], ["dadf308f3867"], "tenant base"],
  ["09_6f70", "6f708192a3b4", ["5e6f708192a3"], [], ["lookup"], "tenant users"],
  ["10_8192", "8192a3b4c5d6", [], ["lookup"], [], "lookup tables"],
];

/** The golden project's revisions, in file order. */
export const goldenProject: RevisionMeta[] = rows.map(([file, id, down, labels, deps, message]) => ({
  id,
  downRevisions: down,
  branchLabels: labels,
  dependsOn: deps,
  message,
  createDate: "2026-02-11 14:05:09",
  path: `migrations/versions/${file}.py`,
  // the module docstring Alembic's template writes
  doc: `${message}\n\nRevision ID: ${id}\nRevises: ${down.join(", ")}\nCreate Date: 2026-02-11 14:05:09\n\n`,
}));

/** The rows of the golden database's alembic_version (stamped with these three). */
export const goldenCurrent = ["2b3c4d5e6f70", "3c4d5e6f7081", "6f708192a3b4"];

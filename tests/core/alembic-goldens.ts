/**
 * Exact stdout of Alembic 1.8.1 for the revisions in golden-project.ts, captured by
 * running the command in each comment on a scratch Alembic project with the same
 * files (absolute paths shortened to migrations/versions/...). Where Alembic prints
 * a Python set, the expected text is in retort's file order and the note says so.
 */
export const goldens: { name: string; command: string; expected: string; note?: string }[] = [
  {
    name: "history",
    // alembic history
    command: "alembic history",
    expected: `3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192 (reports) (head) (mergepoint), merge reports and audit
0ee619f3516b -> 3c4d5e6f7081, add audit log
1a2b3c4d5e6f -> 2b3c4d5e6f70 (reports), add report schedules
0ee619f3516b -> 1a2b3c4d5e6f (reports), add reports
5e6f708192a3 (lookup) -> 6f708192a3b4 (tenant) (head), tenant users
<base> (dadf308f3867) -> 5e6f708192a3 (tenant), tenant base
dadf308f3867 -> 0ee619f3516b (branchpoint), seed initial focus groups/dimensions/weights data
ffa7dce781be -> dadf308f3867, create base platform tables
<base> -> ffa7dce781be, create sample_table
<base> -> 8192a3b4c5d6 (lookup) (effective head), lookup tables
`,
  },
  {
    name: "history -v",
    // alembic history -v
    command: "alembic history -v",
    note: "Alembic prints \"Branches into\" in set order (3c4d5e6f7081, 1a2b3c4d5e6f with PYTHONHASHSEED=0); retort uses file order",
    expected: `Rev: 4d5e6f708192 (head) (mergepoint)
Merges: 3c4d5e6f7081, 2b3c4d5e6f70
Branch names: reports
Path: migrations/versions/07_4d5e.py

    merge reports and audit
    
    Revision ID: 4d5e6f708192
    Revises: 3c4d5e6f7081, 2b3c4d5e6f70
    Create Date: 2026-02-11 14:05:09

Rev: 3c4d5e6f7081
Parent: 0ee619f3516b
Path: migrations/versions/06_3c4d.py

    add audit log
    
    Revision ID: 3c4d5e6f7081
    Revises: 0ee619f3516b
    Create Date: 2026-02-11 14:05:09

Rev: 2b3c4d5e6f70
Parent: 1a2b3c4d5e6f
Branch names: reports
Path: migrations/versions/05_2b3c.py

    add report schedules
    
    Revision ID: 2b3c4d5e6f70
    Revises: 1a2b3c4d5e6f
    Create Date: 2026-02-11 14:05:09

Rev: 1a2b3c4d5e6f
Parent: 0ee619f3516b
Branch names: reports
Path: migrations/versions/04_1a2b.py

    add reports
    
    Revision ID: 1a2b3c4d5e6f
    Revises: 0ee619f3516b
    Create Date: 2026-02-11 14:05:09

Rev: 6f708192a3b4 (head)
Parent: 5e6f708192a3
Also depends on: lookup
Branch names: tenant
Path: migrations/versions/09_6f70.py

    tenant users
    
    Revision ID: 6f708192a3b4
    Revises: 5e6f708192a3
    Create Date: 2026-02-11 14:05:09

Rev: 5e6f708192a3
Parent: <base>
Also depends on: dadf308f3867
Branch names: tenant
Path: migrations/versions/08_5e6f.py

    tenant base
    
    Revision ID: 5e6f708192a3
    Revises: 
    Create Date: 2026-02-11 14:05:09

Rev: 0ee619f3516b (branchpoint)
Parent: dadf308f3867
Branches into: 1a2b3c4d5e6f, 3c4d5e6f7081
Path: migrations/versions/03_0ee6.py

    seed initial focus groups/dimensions/weights data
    
    Revision ID: 0ee619f3516b
    Revises: dadf308f3867
    Create Date: 2026-02-11 14:05:09

Rev: dadf308f3867
Parent: ffa7dce781be
Path: migrations/versions/02_dadf.py

    create base platform tables
    
    Revision ID: dadf308f3867
    Revises: ffa7dce781be
    Create Date: 2026-02-11 14:05:09

Rev: ffa7dce781be
Parent: <base>
Path: migrations/versions/01_ffa7.py

    create sample_table
    
    Revision ID: ffa7dce781be
    Revises: 
    Create Date: 2026-02-11 14:05:09

Rev: 8192a3b4c5d6 (head)
Parent: <base>
Branch names: lookup
Path: migrations/versions/10_8192.py

    lookup tables
    
    Revision ID: 8192a3b4c5d6
    Revises: 
    Create Date: 2026-02-11 14:05:09

`,
  },
  {
    name: "history -r 1a2b:",
    // alembic history -r 1a2b:
    command: "alembic history -r 1a2b:",
    expected: `3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192 (reports) (head) (mergepoint), merge reports and audit
1a2b3c4d5e6f -> 2b3c4d5e6f70 (reports), add report schedules
0ee619f3516b -> 1a2b3c4d5e6f (reports), add reports
`,
  },
  {
    name: "history -r :3c4d",
    // alembic history -r :3c4d
    command: "alembic history -r :3c4d",
    expected: `0ee619f3516b -> 3c4d5e6f7081, add audit log
dadf308f3867 -> 0ee619f3516b (branchpoint), seed initial focus groups/dimensions/weights data
ffa7dce781be -> dadf308f3867, create base platform tables
<base> -> ffa7dce781be, create sample_table
`,
  },
  {
    name: "history -r reports@base:",
    // alembic history -r reports@base:
    command: "alembic history -r reports@base:",
    expected: `3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192 (reports) (head) (mergepoint), merge reports and audit
0ee619f3516b -> 3c4d5e6f7081, add audit log
1a2b3c4d5e6f -> 2b3c4d5e6f70 (reports), add report schedules
0ee619f3516b -> 1a2b3c4d5e6f (reports), add reports
dadf308f3867 -> 0ee619f3516b (branchpoint), seed initial focus groups/dimensions/weights data
ffa7dce781be -> dadf308f3867, create base platform tables
<base> -> ffa7dce781be, create sample_table
`,
  },
  {
    name: "history -r tenant@base:",
    // alembic history -r tenant@base:
    command: "alembic history -r tenant@base:",
    expected: `5e6f708192a3 (lookup) -> 6f708192a3b4 (tenant) (head), tenant users
<base> (dadf308f3867) -> 5e6f708192a3 (tenant), tenant base
ffa7dce781be -> dadf308f3867, create base platform tables
<base> -> ffa7dce781be, create sample_table
<base> -> 8192a3b4c5d6 (lookup) (effective head), lookup tables
`,
  },
  {
    name: "history -v -r 5e6f:6f70",
    // alembic history -v -r 5e6f:6f70
    command: "alembic history -v -r 5e6f:6f70",
    expected: `Rev: 6f708192a3b4 (head)
Parent: 5e6f708192a3
Also depends on: lookup
Branch names: tenant
Path: migrations/versions/09_6f70.py

    tenant users
    
    Revision ID: 6f708192a3b4
    Revises: 5e6f708192a3
    Create Date: 2026-02-11 14:05:09

Rev: 5e6f708192a3
Parent: <base>
Also depends on: dadf308f3867
Branch names: tenant
Path: migrations/versions/08_5e6f.py

    tenant base
    
    Revision ID: 5e6f708192a3
    Revises: 
    Create Date: 2026-02-11 14:05:09

`,
  },
  {
    name: "history -i",
    // alembic history -i  (database stamped 2b3c4d5e6f70 3c4d5e6f7081 6f708192a3b4)
    command: "alembic history -i  (database stamped 2b3c4d5e6f70 3c4d5e6f7081 6f708192a3b4)",
    expected: `3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192 (reports) (head) (mergepoint), merge reports and audit
0ee619f3516b -> 3c4d5e6f7081 (current), add audit log
1a2b3c4d5e6f -> 2b3c4d5e6f70 (reports) (current), add report schedules
0ee619f3516b -> 1a2b3c4d5e6f (reports), add reports
5e6f708192a3 (lookup) -> 6f708192a3b4 (tenant) (head) (current), tenant users
<base> (dadf308f3867) -> 5e6f708192a3 (tenant), tenant base
dadf308f3867 -> 0ee619f3516b (branchpoint), seed initial focus groups/dimensions/weights data
ffa7dce781be -> dadf308f3867, create base platform tables
<base> -> ffa7dce781be, create sample_table
<base> -> 8192a3b4c5d6 (lookup) (effective head), lookup tables
`,
  },
  {
    name: "history -r current:",
    // alembic history -r current:  (same database)
    command: "alembic history -r current:  (same database)",
    expected: `3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192 (reports) (head) (mergepoint), merge reports and audit
0ee619f3516b -> 3c4d5e6f7081, add audit log
5e6f708192a3 (lookup) -> 6f708192a3b4 (tenant) (head), tenant users
1a2b3c4d5e6f -> 2b3c4d5e6f70 (reports), add report schedules
`,
  },
  {
    name: "heads",
    // alembic heads
    command: "alembic heads",
    expected: `4d5e6f708192 (reports) (head)
6f708192a3b4 (tenant) (head)
8192a3b4c5d6 (lookup) (effective head)
`,
  },
  {
    name: "heads -v",
    // alembic heads -v
    command: "alembic heads -v",
    expected: `Rev: 4d5e6f708192 (head) (mergepoint)
Merges: 3c4d5e6f7081, 2b3c4d5e6f70
Branch names: reports
Path: migrations/versions/07_4d5e.py

    merge reports and audit
    
    Revision ID: 4d5e6f708192
    Revises: 3c4d5e6f7081, 2b3c4d5e6f70
    Create Date: 2026-02-11 14:05:09

Rev: 6f708192a3b4 (head)
Parent: 5e6f708192a3
Also depends on: lookup
Branch names: tenant
Path: migrations/versions/09_6f70.py

    tenant users
    
    Revision ID: 6f708192a3b4
    Revises: 5e6f708192a3
    Create Date: 2026-02-11 14:05:09

Rev: 8192a3b4c5d6 (head)
Parent: <base>
Branch names: lookup
Path: migrations/versions/10_8192.py

    lookup tables
    
    Revision ID: 8192a3b4c5d6
    Revises: 
    Create Date: 2026-02-11 14:05:09

`,
  },
  {
    name: "heads --resolve-dependencies",
    // alembic heads --resolve-dependencies
    command: "alembic heads --resolve-dependencies",
    expected: `4d5e6f708192 (reports) (head)
6f708192a3b4 (tenant) (head)
`,
  },
  {
    name: "branches",
    // alembic branches
    command: "alembic branches",
    note: "children in file order (Alembic: set order, 3c4d5e6f7081 first with PYTHONHASHSEED=0)",
    expected: `0ee619f3516b (branchpoint)
             -> 1a2b3c4d5e6f (reports)
             -> 3c4d5e6f7081

`,
  },
  {
    name: "branches -v",
    // alembic branches -v
    command: "alembic branches -v",
    note: "children and \"Branches into\" in file order (Alembic: set order)",
    expected: `Rev: 0ee619f3516b (branchpoint)
Parent: dadf308f3867
Branches into: 1a2b3c4d5e6f, 3c4d5e6f7081
Path: migrations/versions/03_0ee6.py

    seed initial focus groups/dimensions/weights data
    
    Revision ID: 0ee619f3516b
    Revises: dadf308f3867
    Create Date: 2026-02-11 14:05:09

             -> 1a2b3c4d5e6f (reports), add reports
             -> 3c4d5e6f7081, add audit log

`,
  },
  {
    name: "show 5e6f",
    // alembic show 5e6f
    command: "alembic show 5e6f",
    expected: `Rev: 5e6f708192a3
Parent: <base>
Also depends on: dadf308f3867
Branch names: tenant
Path: migrations/versions/08_5e6f.py

    tenant base
    
    Revision ID: 5e6f708192a3
    Revises: 
    Create Date: 2026-02-11 14:05:09

`,
  },
  {
    name: "show heads",
    // alembic show heads
    command: "alembic show heads",
    expected: `Rev: 4d5e6f708192 (head) (mergepoint)
Merges: 3c4d5e6f7081, 2b3c4d5e6f70
Branch names: reports
Path: migrations/versions/07_4d5e.py

    merge reports and audit
    
    Revision ID: 4d5e6f708192
    Revises: 3c4d5e6f7081, 2b3c4d5e6f70
    Create Date: 2026-02-11 14:05:09

Rev: 6f708192a3b4 (head)
Parent: 5e6f708192a3
Also depends on: lookup
Branch names: tenant
Path: migrations/versions/09_6f70.py

    tenant users
    
    Revision ID: 6f708192a3b4
    Revises: 5e6f708192a3
    Create Date: 2026-02-11 14:05:09

`,
  },
  {
    name: "current",
    // alembic current  (same database)
    command: "alembic current  (same database)",
    note: "revisions in file order (Alembic: set order, which changes from run to run)",
    expected: `2b3c4d5e6f70
3c4d5e6f7081
6f708192a3b4 (head)
8192a3b4c5d6 (effective head)
`,
  },
  {
    name: "current -v",
    // alembic current -v  (same database; the 'Current revision(s) for <url>:' header is the CLI's)
    command: "alembic current -v  (same database; the \"Current revision(s) for <url>:\" header is the CLI's)",
    note: "revisions in file order (Alembic: set order)",
    expected: `Rev: 2b3c4d5e6f70
Parent: 1a2b3c4d5e6f
Branch names: reports
Path: migrations/versions/05_2b3c.py

    add report schedules
    
    Revision ID: 2b3c4d5e6f70
    Revises: 1a2b3c4d5e6f
    Create Date: 2026-02-11 14:05:09

Rev: 3c4d5e6f7081
Parent: 0ee619f3516b
Path: migrations/versions/06_3c4d.py

    add audit log
    
    Revision ID: 3c4d5e6f7081
    Revises: 0ee619f3516b
    Create Date: 2026-02-11 14:05:09

Rev: 6f708192a3b4 (head)
Parent: 5e6f708192a3
Also depends on: lookup
Branch names: tenant
Path: migrations/versions/09_6f70.py

    tenant users
    
    Revision ID: 6f708192a3b4
    Revises: 5e6f708192a3
    Create Date: 2026-02-11 14:05:09

Rev: 8192a3b4c5d6 (head)
Parent: <base>
Branch names: lookup
Path: migrations/versions/10_8192.py

    lookup tables
    
    Revision ID: 8192a3b4c5d6
    Revises: 
    Create Date: 2026-02-11 14:05:09

`,
  },
];

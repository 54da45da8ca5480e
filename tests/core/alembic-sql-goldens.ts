/**
 * `--sql` output of Alembic 1.8.1 for the golden project (golden-project.ts), reduced to the
 * lines about revisions: "-- Running ..." and the INSERT/UPDATE/DELETE of alembic_version.
 * Each entry: the command, then its expected lines.
 */
export const sqlGoldens: [command: "upgrade" | "downgrade" | "stamp", from: string, to: string, expected: string[]][] = [
  // alembic upgrade --sql base:heads
  ["upgrade", "base", "heads", [
    "-- Running upgrade  -> 8192a3b4c5d6",
    "INSERT INTO alembic_version (version_num) VALUES ('8192a3b4c5d6');",
    "-- Running upgrade  -> ffa7dce781be",
    "INSERT INTO alembic_version (version_num) VALUES ('ffa7dce781be');",
    "-- Running upgrade ffa7dce781be -> dadf308f3867",
    "UPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = 'ffa7dce781be';",
    "-- Running upgrade dadf308f3867 -> 0ee619f3516b",
    "UPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = 'dadf308f3867';",
    "-- Running upgrade  -> 5e6f708192a3",
    "INSERT INTO alembic_version (version_num) VALUES ('5e6f708192a3');",
    "-- Running upgrade 5e6f708192a3 -> 6f708192a3b4",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '5e6f708192a3';",
    "UPDATE alembic_version SET version_num='6f708192a3b4' WHERE alembic_version.version_num = '8192a3b4c5d6';",
    "-- Running upgrade 0ee619f3516b -> 1a2b3c4d5e6f",
    "UPDATE alembic_version SET version_num='1a2b3c4d5e6f' WHERE alembic_version.version_num = '0ee619f3516b';",
    "-- Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
    "-- Running upgrade 0ee619f3516b -> 3c4d5e6f7081",
    "INSERT INTO alembic_version (version_num) VALUES ('3c4d5e6f7081');",
    "-- Running upgrade 3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '3c4d5e6f7081';",
    "UPDATE alembic_version SET version_num='4d5e6f708192' WHERE alembic_version.version_num = '2b3c4d5e6f70';",
  ]],
  // alembic upgrade --sql base:reports@head
  ["upgrade", "base", "reports@head", [
    "-- Running upgrade  -> ffa7dce781be",
    "INSERT INTO alembic_version (version_num) VALUES ('ffa7dce781be');",
    "-- Running upgrade ffa7dce781be -> dadf308f3867",
    "UPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = 'ffa7dce781be';",
    "-- Running upgrade dadf308f3867 -> 0ee619f3516b",
    "UPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = 'dadf308f3867';",
    "-- Running upgrade 0ee619f3516b -> 1a2b3c4d5e6f",
    "UPDATE alembic_version SET version_num='1a2b3c4d5e6f' WHERE alembic_version.version_num = '0ee619f3516b';",
    "-- Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
    "-- Running upgrade 0ee619f3516b -> 3c4d5e6f7081",
    "INSERT INTO alembic_version (version_num) VALUES ('3c4d5e6f7081');",
    "-- Running upgrade 3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '3c4d5e6f7081';",
    "UPDATE alembic_version SET version_num='4d5e6f708192' WHERE alembic_version.version_num = '2b3c4d5e6f70';",
  ]],
  // alembic upgrade --sql 0ee6:heads
  ["upgrade", "0ee6", "heads", [
    "-- Running upgrade  -> 8192a3b4c5d6",
    "INSERT INTO alembic_version (version_num) VALUES ('8192a3b4c5d6');",
    "-- Running upgrade 0ee619f3516b -> 1a2b3c4d5e6f",
    "UPDATE alembic_version SET version_num='1a2b3c4d5e6f' WHERE alembic_version.version_num = '0ee619f3516b';",
    "-- Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
    "-- Running upgrade  -> 5e6f708192a3",
    "INSERT INTO alembic_version (version_num) VALUES ('5e6f708192a3');",
    "-- Running upgrade 5e6f708192a3 -> 6f708192a3b4",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '5e6f708192a3';",
    "UPDATE alembic_version SET version_num='6f708192a3b4' WHERE alembic_version.version_num = '8192a3b4c5d6';",
    "-- Running upgrade 0ee619f3516b -> 3c4d5e6f7081",
    "INSERT INTO alembic_version (version_num) VALUES ('3c4d5e6f7081');",
    "-- Running upgrade 3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '3c4d5e6f7081';",
    "UPDATE alembic_version SET version_num='4d5e6f708192' WHERE alembic_version.version_num = '2b3c4d5e6f70';",
  ]],
  // alembic upgrade --sql 3c4d:heads
  ["upgrade", "3c4d", "heads", [
    "-- Running upgrade  -> 8192a3b4c5d6",
    "INSERT INTO alembic_version (version_num) VALUES ('8192a3b4c5d6');",
    "-- Running upgrade  -> 5e6f708192a3",
    "INSERT INTO alembic_version (version_num) VALUES ('5e6f708192a3');",
    "-- Running upgrade 5e6f708192a3 -> 6f708192a3b4",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '5e6f708192a3';",
    "UPDATE alembic_version SET version_num='6f708192a3b4' WHERE alembic_version.version_num = '8192a3b4c5d6';",
    "-- Running upgrade 0ee619f3516b -> 1a2b3c4d5e6f",
    "INSERT INTO alembic_version (version_num) VALUES ('1a2b3c4d5e6f');",
    "-- Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
    "-- Running upgrade 3c4d5e6f7081, 2b3c4d5e6f70 -> 4d5e6f708192",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '3c4d5e6f7081';",
    "UPDATE alembic_version SET version_num='4d5e6f708192' WHERE alembic_version.version_num = '2b3c4d5e6f70';",
  ]],
  // alembic upgrade --sql base:tenant@head
  ["upgrade", "base", "tenant@head", [
    "-- Running upgrade  -> 8192a3b4c5d6",
    "INSERT INTO alembic_version (version_num) VALUES ('8192a3b4c5d6');",
    "-- Running upgrade  -> ffa7dce781be",
    "INSERT INTO alembic_version (version_num) VALUES ('ffa7dce781be');",
    "-- Running upgrade ffa7dce781be -> dadf308f3867",
    "UPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = 'ffa7dce781be';",
    "-- Running upgrade  -> 5e6f708192a3",
    "UPDATE alembic_version SET version_num='5e6f708192a3' WHERE alembic_version.version_num = 'dadf308f3867';",
    "-- Running upgrade 5e6f708192a3 -> 6f708192a3b4",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '5e6f708192a3';",
    "UPDATE alembic_version SET version_num='6f708192a3b4' WHERE alembic_version.version_num = '8192a3b4c5d6';",
  ]],
  // alembic upgrade --sql 1a2b:+1
  ["upgrade", "1a2b", "+1", [
    "-- Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
  ]],
  // alembic upgrade --sql base:lookup
  ["upgrade", "base", "lookup", [
    "-- Running upgrade  -> 8192a3b4c5d6",
    "INSERT INTO alembic_version (version_num) VALUES ('8192a3b4c5d6');",
  ]],
  // alembic downgrade --sql 4d5e:0ee6
  ["downgrade", "4d5e", "0ee6", [
    "-- Running downgrade 4d5e6f708192 -> 3c4d5e6f7081, 2b3c4d5e6f70",
    "INSERT INTO alembic_version (version_num) VALUES ('3c4d5e6f7081');",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '4d5e6f708192';",
    "-- Running downgrade 3c4d5e6f7081 -> 0ee619f3516b",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '3c4d5e6f7081';",
    "-- Running downgrade 2b3c4d5e6f70 -> 1a2b3c4d5e6f",
    "UPDATE alembic_version SET version_num='1a2b3c4d5e6f' WHERE alembic_version.version_num = '2b3c4d5e6f70';",
    "-- Running downgrade 1a2b3c4d5e6f -> 0ee619f3516b",
    "UPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
  ]],
  // alembic downgrade --sql 4d5e:base
  ["downgrade", "4d5e", "base", [
    "-- Running downgrade 4d5e6f708192 -> 3c4d5e6f7081, 2b3c4d5e6f70",
    "INSERT INTO alembic_version (version_num) VALUES ('3c4d5e6f7081');",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '4d5e6f708192';",
    "-- Running downgrade 3c4d5e6f7081 -> 0ee619f3516b",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '3c4d5e6f7081';",
    "-- Running downgrade 2b3c4d5e6f70 -> 1a2b3c4d5e6f",
    "UPDATE alembic_version SET version_num='1a2b3c4d5e6f' WHERE alembic_version.version_num = '2b3c4d5e6f70';",
    "-- Running downgrade 1a2b3c4d5e6f -> 0ee619f3516b",
    "UPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
    "-- Running downgrade 0ee619f3516b -> dadf308f3867",
    "UPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = '0ee619f3516b';",
    "-- Running downgrade dadf308f3867 -> ffa7dce781be",
    "UPDATE alembic_version SET version_num='ffa7dce781be' WHERE alembic_version.version_num = 'dadf308f3867';",
    "-- Running downgrade ffa7dce781be -> ",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = 'ffa7dce781be';",
  ]],
  // alembic downgrade --sql 4d5e:reports@base
  ["downgrade", "4d5e", "reports@base", [
    "-- Running downgrade 4d5e6f708192 -> 3c4d5e6f7081, 2b3c4d5e6f70",
    "INSERT INTO alembic_version (version_num) VALUES ('3c4d5e6f7081');",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '4d5e6f708192';",
    "-- Running downgrade 3c4d5e6f7081 -> 0ee619f3516b",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '3c4d5e6f7081';",
    "-- Running downgrade 2b3c4d5e6f70 -> 1a2b3c4d5e6f",
    "UPDATE alembic_version SET version_num='1a2b3c4d5e6f' WHERE alembic_version.version_num = '2b3c4d5e6f70';",
    "-- Running downgrade 1a2b3c4d5e6f -> 0ee619f3516b",
    "UPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
    "-- Running downgrade 0ee619f3516b -> dadf308f3867",
    "UPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = '0ee619f3516b';",
    "-- Running downgrade dadf308f3867 -> ffa7dce781be",
    "UPDATE alembic_version SET version_num='ffa7dce781be' WHERE alembic_version.version_num = 'dadf308f3867';",
    "-- Running downgrade ffa7dce781be -> ",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = 'ffa7dce781be';",
  ]],
  // alembic downgrade --sql 6f70:base
  ["downgrade", "6f70", "base", [
    "-- Running downgrade 6f708192a3b4 -> 5e6f708192a3",
    "INSERT INTO alembic_version (version_num) VALUES ('5e6f708192a3');",
    "UPDATE alembic_version SET version_num='8192a3b4c5d6' WHERE alembic_version.version_num = '6f708192a3b4';",
    "-- Running downgrade 5e6f708192a3 -> ",
    "UPDATE alembic_version SET version_num='dadf308f3867' WHERE alembic_version.version_num = '5e6f708192a3';",
    "-- Running downgrade dadf308f3867 -> ffa7dce781be",
    "UPDATE alembic_version SET version_num='ffa7dce781be' WHERE alembic_version.version_num = 'dadf308f3867';",
    "-- Running downgrade ffa7dce781be -> ",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = 'ffa7dce781be';",
    "-- Running downgrade 8192a3b4c5d6 -> ",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '8192a3b4c5d6';",
  ]],
  // alembic downgrade --sql 6f70:tenant@-1
  ["downgrade", "6f70", "tenant@-1", [
    "-- Running downgrade 6f708192a3b4 -> 5e6f708192a3",
    "INSERT INTO alembic_version (version_num) VALUES ('5e6f708192a3');",
    "UPDATE alembic_version SET version_num='8192a3b4c5d6' WHERE alembic_version.version_num = '6f708192a3b4';",
  ]],
  // alembic downgrade --sql 4d5e:3c4d
  ["downgrade", "4d5e", "3c4d", [
    "-- Running downgrade 4d5e6f708192 -> 3c4d5e6f7081, 2b3c4d5e6f70",
    "INSERT INTO alembic_version (version_num) VALUES ('3c4d5e6f7081');",
    "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '4d5e6f708192';",
  ]],
  // alembic downgrade --sql 2b3c:-2
  ["downgrade", "2b3c", "-2", [
    "-- Running downgrade 2b3c4d5e6f70 -> 1a2b3c4d5e6f",
    "UPDATE alembic_version SET version_num='1a2b3c4d5e6f' WHERE alembic_version.version_num = '2b3c4d5e6f70';",
    "-- Running downgrade 1a2b3c4d5e6f -> 0ee619f3516b",
    "UPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = '1a2b3c4d5e6f';",
  ]],
  // alembic stamp --sql 4d5e:0ee6
  ["stamp", "4d5e", "0ee6", [
    "-- Running stamp_revision 4d5e6f708192 -> 0ee619f3516b",
    "UPDATE alembic_version SET version_num='0ee619f3516b' WHERE alembic_version.version_num = '4d5e6f708192';",
  ]],
  // alembic stamp --sql 0ee6:heads
  ["stamp", "0ee6", "heads", [
    "-- Running stamp_revision 0ee619f3516b -> 4d5e6f708192",
    "UPDATE alembic_version SET version_num='4d5e6f708192' WHERE alembic_version.version_num = '0ee619f3516b';",
    "-- Running stamp_revision  -> 6f708192a3b4",
    "INSERT INTO alembic_version (version_num) VALUES ('6f708192a3b4');",
  ]],
  // alembic stamp --sql base:heads
  ["stamp", "base", "heads", [
    "-- Running stamp_revision  -> 4d5e6f708192",
    "INSERT INTO alembic_version (version_num) VALUES ('4d5e6f708192');",
    "-- Running stamp_revision  -> 6f708192a3b4",
    "INSERT INTO alembic_version (version_num) VALUES ('6f708192a3b4');",
  ]],
  // alembic stamp --sql 2b3c:3c4d
  ["stamp", "2b3c", "3c4d", [
    "-- Running stamp_revision  -> 3c4d5e6f7081",
    "INSERT INTO alembic_version (version_num) VALUES ('3c4d5e6f7081');",
  ]],
  // alembic stamp --sql 4d5e:base
  ["stamp", "4d5e", "base", [
    "-- Running stamp_revision 4d5e6f708192 -> ",
    "DELETE FROM alembic_version WHERE alembic_version.version_num = '4d5e6f708192';",
  ]],
];

/**
 * The changes a diff produces, as plain data in execution order. render.ts
 * turns each into SQL, describe.ts into Alembic-style summary lines and
 * destructive-step warnings. `recreated` marks the two halves of a drop and
 * create of the same object; `dependent` those recreated only because
 * something they depend on changed.
 */
import type {
  ColumnDef,
  ConstraintDef,
  DomainDef,
  EnumDef,
  ExtensionDef,
  FunctionDef,
  IndexDef,
  SchemaDef,
  SequenceDef,
  TableDef,
  TriggerDef,
  ViewDef,
} from "./model.ts";

/** A table named by schema and name. */
export interface TableRef {
  readonly schema: string;
  readonly table: string;
}

/** One value added to an enum, placed like ALTER TYPE … ADD VALUE … BEFORE/AFTER. */
export interface EnumValuePlacement {
  readonly value: string;
  readonly before?: string;
  readonly after?: string;
}

/** A column whose type is re-applied while its enum or domain is recreated. */
export interface RetypedColumn extends TableRef {
  readonly column: string;
  /** the column's type (the enum or domain, or an array of it) */
  readonly type: string;
}

/** What COMMENT ON names: e.g. `TABLE public.film`, `COLUMN public.film.title`, `CONSTRAINT fk ON public.film`. */
export interface CommentTarget {
  readonly objectType: string;
  readonly name: string;
  /** how summary lines name it, e.g. `public.film.title` */
  readonly display: string;
}

/** Every change autogenerate can emit. */
export type Change = (
  | { readonly kind: "createSchema"; readonly schema: SchemaDef }
  | { readonly kind: "dropSchema"; readonly schema: SchemaDef }
  | { readonly kind: "createExtension"; readonly extension: ExtensionDef }
  | { readonly kind: "dropExtension"; readonly extension: ExtensionDef }
  | { readonly kind: "alterExtension"; readonly from: ExtensionDef; readonly to: ExtensionDef }
  | { readonly kind: "createEnum"; readonly enum: EnumDef }
  | { readonly kind: "dropEnum"; readonly enum: EnumDef }
  | { readonly kind: "addEnumValues"; readonly enum: EnumDef; readonly values: readonly EnumValuePlacement[] }
  | { readonly kind: "recreateEnum"; readonly from: EnumDef; readonly to: EnumDef; readonly columns: readonly RetypedColumn[] }
  | { readonly kind: "createDomain"; readonly domain: DomainDef }
  | { readonly kind: "dropDomain"; readonly domain: DomainDef }
  | { readonly kind: "alterDomain"; readonly from: DomainDef; readonly to: DomainDef }
  | { readonly kind: "recreateDomain"; readonly from: DomainDef; readonly to: DomainDef; readonly columns: readonly RetypedColumn[] }
  | { readonly kind: "createSequence"; readonly sequence: SequenceDef }
  | { readonly kind: "alterSequence"; readonly from: SequenceDef; readonly to: SequenceDef }
  | { readonly kind: "dropSequence"; readonly sequence: SequenceDef }
  | { readonly kind: "setSequenceOwner"; readonly sequence: SequenceDef; readonly ownedBy: { readonly table: string; readonly column: string } | null }
  | {
      readonly kind: "createTable";
      readonly table: TableDef;
      /** the constraints written inside CREATE TABLE (the others come as addConstraint) */
      readonly constraints: readonly ConstraintDef[];
    }
  | { readonly kind: "dropTable"; readonly table: TableDef }
  | ({ readonly kind: "addColumn"; readonly column: ColumnDef } & TableRef)
  | ({ readonly kind: "dropColumn"; readonly column: ColumnDef } & TableRef)
  | ({ readonly kind: "alterColumn"; readonly from: ColumnDef; readonly to: ColumnDef } & TableRef)
  | ({ readonly kind: "setDefault"; readonly column: string; readonly expression: string; readonly previous: string | null } & TableRef)
  | ({ readonly kind: "dropDefault"; readonly column: string; readonly expression: string } & TableRef)
  | ({ readonly kind: "addConstraint"; readonly constraint: ConstraintDef } & TableRef)
  | ({ readonly kind: "dropConstraint"; readonly constraint: ConstraintDef } & TableRef)
  | ({ readonly kind: "validateConstraint"; readonly constraint: ConstraintDef } & TableRef)
  | { readonly kind: "createIndex"; readonly index: IndexDef }
  | { readonly kind: "dropIndex"; readonly index: IndexDef }
  | { readonly kind: "createView"; readonly view: ViewDef }
  | { readonly kind: "dropView"; readonly view: ViewDef }
  | { readonly kind: "createFunction"; readonly function: FunctionDef }
  | { readonly kind: "replaceFunction"; readonly from: FunctionDef; readonly to: FunctionDef }
  | { readonly kind: "dropFunction"; readonly function: FunctionDef }
  | { readonly kind: "createTrigger"; readonly trigger: TriggerDef }
  | { readonly kind: "dropTrigger"; readonly trigger: TriggerDef }
  | { readonly kind: "comment"; readonly target: CommentTarget; readonly comment: string | null }
) & {
  /** one half of a drop-and-create: the object exists before and after, with a new definition */
  readonly recreated?: boolean;
  /** dropped and created again only because an object it depends on changed (implies recreated) */
  readonly dependent?: boolean;
};

/** The `kind` of a change. */
export type ChangeKind = Change["kind"];
